package ai.holysheep.k8s.webhook.tls;

import ai.holysheep.k8s.certs.CertificateException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads the PEM pair on every call. Kubernetes updates a mounted Secret by swapping a {@code
 * ..data} symlink, which inotify on the files themselves does not see; reading the content each
 * tick does. A half-written or mismatched pair is reported and ignored, so the last good
 * certificate stays.
 */
final class FileCertificateSource implements CertificateSource {
  private static final System.Logger LOG = System.getLogger(FileCertificateSource.class.getName());

  private final Path certFile;
  private final Path keyFile;
  private String lastProblem;

  FileCertificateSource(Path certFile, Path keyFile) {
    this.certFile = certFile;
    this.keyFile = keyFile;
  }

  @Override
  public synchronized Optional<ServingCertificate> load() {
    try {
      ServingCertificate cert =
          ServingCertificate.parse(
              Files.readString(certFile, StandardCharsets.US_ASCII),
              Files.readString(keyFile, StandardCharsets.US_ASCII));
      lastProblem = null;
      return Optional.of(cert);
    } catch (IOException | CertificateException e) {
      String problem = "cannot load TLS files " + certFile + ", " + keyFile + ": " + e.getMessage();
      if (!problem.equals(lastProblem)) {
        LOG.log(Level.WARNING, problem);
        lastProblem = problem;
      }
      return Optional.empty();
    }
  }
}
