package ai.holysheep.k8s.sidecar;

import java.util.ArrayList;
import java.util.List;

/** A host and port to listen on; IPv6 hosts are written in brackets, e.g. {@code [::1]:15080}. */
public record ListenAddress(String host, int port) {

  public ListenAddress {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("listen address: host is empty");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(
          "listen address: port " + port + " is out of range; allowed 0-65535 (0 = ephemeral)");
    }
  }

  /** Parses {@code HOST:PORT} or {@code [V6]:PORT}; {@code field} names the flag in errors. */
  public static ListenAddress parse(String field, String text) {
    String value = text == null ? "" : text.trim();
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new IllegalArgumentException(
          field + ": \"" + value + "\" is not HOST:PORT; e.g. 127.0.0.1:15080 or [::1]:15080");
    }
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new IllegalArgumentException(
          field + ": \"" + value + "\" has an IPv6 host without brackets; write [::1]:15080");
    }
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          field + ": \"" + value + "\" has no numeric port; allowed 0-65535");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(
          field + ": \"" + value + "\" has port " + port + "; allowed 0-65535 (0 = ephemeral)");
    }
    return new ListenAddress(host, port);
  }

  /** Parses a comma-separated list of addresses. */
  public static List<ListenAddress> parseList(String field, String text) {
    List<ListenAddress> result = new ArrayList<>();
    for (String part : text.split(",")) {
      if (!part.isBlank()) {
        result.add(parse(field, part));
      }
    }
    if (result.isEmpty()) {
      throw new IllegalArgumentException(field + ": no address given; e.g. 127.0.0.1:15080");
    }
    return List.copyOf(result);
  }

  public ListenAddress withPort(int newPort) {
    return new ListenAddress(host, newPort);
  }

  @Override
  public String toString() {
    return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
  }
}
