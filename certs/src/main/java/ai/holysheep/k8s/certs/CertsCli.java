package ai.holysheep.k8s.certs;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code certs --service S --namespace N --out DIR [--validity 365d] [--dns NAME]... [--ip
 * ADDR]...} writes {@code ca.crt}, {@code tls.crt} and {@code tls.key} for the webhook's manual
 * (files) mode. The CA key is not written: a new run makes a new CA, and the caBundle must be
 * updated with it.
 */
public final class CertsCli {
  static final String USAGE =
      "usage: certs --service NAME --namespace NS --out DIR [--validity 365d]"
          + " [--dns EXTRA_NAME]... [--ip EXTRA_IP]...";

  private CertsCli() {}

  public static void main(String[] args) {
    System.exit(run(args, Clock.systemUTC(), System.out, System.err));
  }

  /** Exit code: 0 written, 2 bad arguments, 1 I/O failure. */
  public static int run(String[] args, Clock clock, PrintStream out, PrintStream err) {
    String service = null;
    String namespace = null;
    Path dir = null;
    Duration validity = CertificateDefaults.DEFAULT_SERVING_VALIDITY;
    List<String> dns = new ArrayList<>();
    List<String> ips = new ArrayList<>();
    try {
      for (int i = 0; i < args.length; i++) {
        String flag = args[i];
        if (flag.equals("--help") || flag.equals("-h")) {
          out.println(USAGE);
          return 0;
        }
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(flag + ": missing value");
        }
        String value = args[++i];
        switch (flag) {
          case "--service" -> service = value;
          case "--namespace" -> namespace = value;
          case "--out" -> dir = Path.of(value);
          case "--validity" -> validity = parseDays("--validity", value);
          case "--dns" -> dns.add(value);
          case "--ip" -> ips.add(value);
          default ->
              throw new IllegalArgumentException(
                  flag
                      + ": unknown flag; allowed: --service, --namespace, --out, --validity, --dns, --ip");
        }
      }
      if (service == null || namespace == null || dir == null) {
        throw new IllegalArgumentException("--service, --namespace and --out are required");
      }
      ServingCertificateRequest request =
          ServingCertificateRequest.forService(service, namespace, validity)
              .withExtraNames(dns, ips);
      Duration caValidity =
          validity.compareTo(CertificateDefaults.DEFAULT_CA_VALIDITY) > 0
              ? validity
              : CertificateDefaults.DEFAULT_CA_VALIDITY;
      CertificateAuthority ca =
          CertificateAuthority.generate(
              CertificateDefaults.DEFAULT_CA_COMMON_NAME, caValidity, clock);
      IssuedCertificate issued = ca.issue(request);
      write(dir, issued);
      out.println(
          "wrote " + dir.resolve("ca.crt") + ", tls.crt, tls.key for " + request.dnsNames());
      return 0;
    } catch (IllegalArgumentException | CertificateException e) {
      err.println("error: " + e.getMessage());
      err.println(USAGE);
      return 2;
    } catch (IOException e) {
      err.println("error: cannot write to " + dir + ": " + e.getMessage());
      return 1;
    }
  }

  private static void write(Path dir, IssuedCertificate issued) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("ca.crt"), issued.caCertificatePem(), StandardCharsets.US_ASCII);
    Files.writeString(dir.resolve("tls.crt"), issued.certificatePem(), StandardCharsets.US_ASCII);
    Path key = dir.resolve("tls.key");
    Files.writeString(key, issued.privateKeyPem(), StandardCharsets.US_ASCII);
    try {
      Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException ignored) {
      // non-POSIX file system: the directory's own permissions protect the key
    }
  }

  /** {@code 365d}, {@code 12h}, {@code 30m} or {@code 90s}. */
  static Duration parseDays(String field, String text) {
    if (text.matches("[1-9][0-9]{0,6}[dhms]")) {
      long n = Long.parseLong(text.substring(0, text.length() - 1));
      return switch (text.charAt(text.length() - 1)) {
        case 'd' -> Duration.ofDays(n);
        case 'h' -> Duration.ofHours(n);
        case 'm' -> Duration.ofMinutes(n);
        default -> Duration.ofSeconds(n);
      };
    }
    throw new IllegalArgumentException(
        field
            + ": \""
            + text
            + "\" is not a duration; use a positive number with d, h, m or s, e.g. 365d");
  }
}
