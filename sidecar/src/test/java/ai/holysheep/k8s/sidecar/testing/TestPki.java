package ai.holysheep.k8s.sidecar.testing;

import ai.holysheep.k8s.certs.CertificateAuthority;
import ai.holysheep.k8s.certs.IssuedCertificate;
import ai.holysheep.k8s.certs.ServingCertificateRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** A private CA whose serving certificates name localhost and 127.0.0.1, written as PEM files. */
public final class TestPki {
  public static final Duration VALIDITY = Duration.ofDays(1);

  private final CertificateAuthority ca =
      CertificateAuthority.generate("holysheep-test-ca", Duration.ofDays(2), Clock.systemUTC());

  /** The CA certificate as PEM, as a client (or an inline {@code caPem}) would trust it. */
  public String caPem() {
    return ca.certificatePem();
  }

  public Path writeCa(Path dir) throws IOException {
    Files.createDirectories(dir);
    return Files.writeString(dir.resolve("ca.crt"), caPem());
  }

  /** A serving certificate for {@code service} (plus localhost, 127.0.0.1) in {@code dir}. */
  public ServingFiles issue(Path dir, String service) throws IOException {
    IssuedCertificate issued =
        ca.issue(
            ServingCertificateRequest.forService(service, "holysheep-system", VALIDITY)
                .withExtraNames(List.of("localhost"), List.of("127.0.0.1")));
    Files.createDirectories(dir);
    return new ServingFiles(
        Files.writeString(dir.resolve("tls.crt"), issued.certificatePem()),
        Files.writeString(dir.resolve("tls.key"), issued.privateKeyPem()),
        issued);
  }

  /** {@code tls.crt} and {@code tls.key} of one issued certificate. */
  public record ServingFiles(Path certFile, Path keyFile, IssuedCertificate issued) {}
}
