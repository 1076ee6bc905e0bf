package ai.holysheep.k8s.webhook.kube;

import ai.holysheep.k8s.certs.CertificateException;
import ai.holysheep.k8s.certs.Pem;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code ca.crt} of the {@code files} mode (a mounted Secret), read on every reload tick. Only
 * text that parses as one or more PEM certificates is returned: a half-written file must never
 * reach {@code caBundle}, where it would make the API server reject every call to the webhook. The
 * file's text is returned as written, so a bundle patched by hand from the same file ({@code base64
 * -w0 ca.crt}) is already equal and is not patched again.
 */
public final class CaFileBundle {
  private static final System.Logger LOG = System.getLogger(CaFileBundle.class.getName());

  private final Path file;
  private String lastProblem;

  public CaFileBundle(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  /** The PEM bundle, or empty when the file is absent or does not hold a certificate. */
  public synchronized Optional<String> load() {
    String problem;
    Level level = Level.WARNING;
    try {
      String pem = Files.readString(file, StandardCharsets.US_ASCII);
      if (!Pem.decodeCertificates(pem).isEmpty()) {
        if (lastProblem != null) {
          LOG.log(Level.INFO, "CA bundle " + file + " is usable; caBundle follows it");
        }
        lastProblem = null;
        return Optional.of(pem);
      }
      problem = "CA bundle " + file + " holds no certificate; caBundle left as it is";
    } catch (NoSuchFileException e) {
      // legitimate: caBundle may be kept by hand or by another tool
      problem = "no CA bundle at " + file + "; caBundle is not managed until it appears";
      level = Level.INFO;
    } catch (IOException | CertificateException e) {
      problem = "cannot use CA bundle " + file + " (caBundle left as it is): " + e.getMessage();
    }
    if (!problem.equals(lastProblem)) {
      LOG.log(level, problem);
      lastProblem = problem;
    }
    return Optional.empty();
  }
}
