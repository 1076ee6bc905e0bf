package ai.holysheep.k8s.certs;

/** A certificate could not be built, read or parsed; the message says which and why. */
public final class CertificateException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CertificateException(String message) {
    super(message);
  }

  public CertificateException(String message, Throwable cause) {
    super(message, cause);
  }
}
