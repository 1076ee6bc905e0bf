package ai.holysheep.k8s.sidecar;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The {@code run} flags: {@code --config FILE --listen A[,B] --admin-listen A}. */
record CliArgs(Path configFile, List<ListenAddress> listen, ListenAddress adminListen) {

  static CliArgs parse(String[] args, Map<String, String> env) {
    Path config = null;
    List<ListenAddress> listen = null;
    ListenAddress admin = null;
    for (Map.Entry<String, String> pair : FlagPairs.parse(args, "")) {
      String flag = pair.getKey();
      String value = pair.getValue();
      switch (flag) {
        case "--config" -> config = Path.of(value);
        case "--listen" -> listen = ListenAddress.parseList("--listen", value);
        case "--admin-listen" -> admin = ListenAddress.parse("--admin-listen", value);
        default ->
            throw new IllegalArgumentException(
                flag
                    + ": unknown flag; allowed: --config FILE, --listen HOST:PORT[,HOST:PORT],"
                    + " --admin-listen HOST:PORT (or the subcommand: wait)");
      }
    }
    if (listen == null) {
      int port = port(env, "HOLYSHEEP_PROXY_PORT", SidecarOptions.DEFAULT_PROXY_PORT);
      listen = SidecarOptions.DEFAULT_LISTEN.stream().map(a -> a.withPort(port)).toList();
    }
    if (admin == null) {
      int port = port(env, "HOLYSHEEP_ADMIN_PORT", SidecarOptions.DEFAULT_ADMIN_PORT);
      admin = SidecarOptions.DEFAULT_ADMIN_LISTEN.withPort(port);
    }
    return new CliArgs(config, listen, admin);
  }

  static int port(Map<String, String> env, String name, int fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      int port = Integer.parseInt(value.trim());
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(name + ": \"" + value + "\" is not a port; allowed 0-65535");
  }
}
