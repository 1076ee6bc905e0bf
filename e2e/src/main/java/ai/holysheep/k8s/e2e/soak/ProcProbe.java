package ai.holysheep.k8s.e2e.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What Linux says about a process, read from {@code /proc} from outside it: resident memory, open
 * file descriptors, and its established TCP connections by local and remote port (its socket inodes
 * matched against {@code /proc/<pid>/net/tcp} and {@code tcp6}).
 */
public final class ProcProbe {
  /** TCP state ESTABLISHED in {@code /proc/net/tcp}. */
  static final String ESTABLISHED = "01";

  private ProcProbe() {}

  /** Established connections of one process, counted by local port and by remote port. */
  public record Connections(Map<Integer, Integer> byLocalPort, Map<Integer, Integer> byRemotePort) {
    public int toRemote(int port) {
      return byRemotePort.getOrDefault(port, 0);
    }

    public int onLocal(int port) {
      return byLocalPort.getOrDefault(port, 0);
    }
  }

  /** Resident set size in KiB ({@code VmRSS}). */
  public static long rssKib(long pid) throws IOException {
    for (String line : Files.readAllLines(proc(pid).resolve("status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
      }
    }
    throw new IOException("no VmRSS in /proc/" + pid + "/status");
  }

  /** Clock ticks per second of {@code /proc/<pid>/stat} ({@code USER_HZ}, 100 on Linux). */
  static final int USER_HZ = 100;

  /** CPU time the process used so far (user + system), in seconds. */
  public static double cpuSeconds(long pid) throws IOException {
    String stat = Files.readString(proc(pid).resolve("stat"));
    // fields after the command name, which is in parentheses and may hold spaces
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) USER_HZ;
  }

  public static int openFds(long pid) throws IOException {
    try (Stream<Path> fds = Files.list(proc(pid).resolve("fd"))) {
      return (int) fds.count();
    }
  }

  public static Connections connections(long pid) throws IOException {
    Set<String> inodes = socketInodes(pid);
    Map<Integer, Integer> local = new HashMap<>();
    Map<Integer, Integer> remote = new HashMap<>();
    for (String table : List.of("tcp", "tcp6")) {
      Path file = proc(pid).resolve("net").resolve(table);
      if (!Files.exists(file)) {
        continue;
      }
      List<String> lines = Files.readAllLines(file);
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 9 && ESTABLISHED.equals(f[3]) && inodes.contains(f[9])) {
          local.merge(port(f[1]), 1, Integer::sum);
          remote.merge(port(f[2]), 1, Integer::sum);
        }
      }
    }
    return new Connections(local, remote);
  }

  private static Set<String> socketInodes(long pid) throws IOException {
    Set<String> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(proc(pid).resolve("fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException e) {
          // closed between listing and reading: not open any more
        }
      }
    }
    return inodes;
  }

  /** The port of an address such as {@code 0100007F:1F90}. */
  static int port(String address) {
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1), 16);
  }

  private static Path proc(long pid) {
    return Path.of("/proc", Long.toString(pid));
  }
}
