package ai.holysheep.k8s.webhook.tls;

import ai.holysheep.k8s.certs.CertificateAuthority;
import ai.holysheep.k8s.certs.IssuedCertificate;
import ai.holysheep.k8s.certs.ServingCertificateRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A CA and serving certificates for tests; clients built here trust only this CA. */
public final class TestPki {
  public static final String SERVICE = "holysheep-injector";
  public static final String NAMESPACE = "holysheep";

  private final CertificateAuthority ca =
      CertificateAuthority.generate("test-ca", Duration.ofDays(30), Clock.systemUTC());

  public CertificateAuthority ca() {
    return ca;
  }

  /** Service names plus localhost and 127.0.0.1, so loopback clients verify the host. */
  public IssuedCertificate issue() {
    return ca.issue(
        ServingCertificateRequest.forService(SERVICE, NAMESPACE, Duration.ofDays(1))
            .withExtraNames(List.of("localhost"), List.of("127.0.0.1")));
  }

  /** Writes tls.crt / tls.key into {@code dir}. */
  public static void write(Path dir, IssuedCertificate issued) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("tls.crt"), issued.certificatePem());
    Files.writeString(dir.resolve("tls.key"), issued.privateKeyPem());
  }

  public SSLContext trustingOnlyCa() {
    return trusting(ca.certificate());
  }

  public static SSLContext trusting(X509Certificate... anchors) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      for (int i = 0; i < anchors.length; i++) {
        store.setCertificateEntry("ca" + i, anchors[i]);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
