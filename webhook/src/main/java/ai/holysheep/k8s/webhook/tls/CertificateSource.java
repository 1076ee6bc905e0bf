package ai.holysheep.k8s.webhook.tls;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/** Where the serving certificate comes from; asked again on every reload tick. */
public interface CertificateSource {
  /**
   * The certificate to serve now, or empty when none is available (missing or half-written files);
   * may block (file or API I/O): callers run it off the event loop.
   */
  Optional<ServingCertificate> load();

  /** PEM files, e.g. a mounted Secret ({@code files} and {@code certManager} modes). */
  static CertificateSource files(Path certFile, Path keyFile) {
    return new FileCertificateSource(certFile, keyFile);
  }

  /** A certificate kept in memory by someone else (the {@code self} mode's Secret manager). */
  static CertificateSource of(Supplier<Optional<ServingCertificate>> supplier) {
    return supplier::get;
  }
}
