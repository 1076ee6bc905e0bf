package ai.holysheep.k8s.sidecar.upstream;

import io.vertx.core.net.TrustOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Trust for an HTTPS upstream: the JVM trust store, plus the CAs of the optional {@code caFile}.
 * There is deliberately no way to trust everything.
 */
final class UpstreamTls {
  private UpstreamTls() {}

  /**
   * The JVM trust store plus the CAs of {@code caFile} and of the inline {@code caPem} (the
   * gateway's CA, injected by the webhook); {@code null} means the JVM default trust store alone.
   */
  static TrustOptions trustFor(String caFile, String caPem) {
    boolean file = caFile != null && !caFile.isBlank();
    boolean inline = caPem != null && !caPem.isBlank();
    if (!file && !inline) {
      return null;
    }
    KeyStore store;
    try {
      store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("every JVM has a default KeyStore type", e);
    }
    if (file) {
      try (InputStream in = Files.newInputStream(Path.of(caFile))) {
        addCertificates(store, "file-", in);
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalArgumentException(
            "caFile: cannot load CA certificates from \"" + caFile + "\": " + e.getMessage(), e);
      }
    }
    if (inline) {
      try (InputStream in = new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII))) {
        addCertificates(store, "inline-", in);
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalArgumentException(
            "caPem: cannot load the inline CA certificates: " + e.getMessage(), e);
      }
    }
    try {
      return TrustOptions.wrap(new EitherTrustManager(trustManager(null), trustManager(store)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no X509TrustManager available", e);
    }
  }

  private static void addCertificates(KeyStore store, String prefix, InputStream in)
      throws GeneralSecurityException {
    Collection<? extends java.security.cert.Certificate> certificates =
        CertificateFactory.getInstance("X.509").generateCertificates(in);
    if (certificates.isEmpty()) {
      throw new CertificateException("no PEM certificate found");
    }
    int index = 0;
    for (java.security.cert.Certificate certificate : certificates) {
      store.setCertificateEntry(prefix + index++, certificate);
    }
  }

  private static X509TrustManager trustManager(KeyStore store) throws GeneralSecurityException {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) {
        return x509;
      }
    }
    throw new GeneralSecurityException("no X509TrustManager available");
  }

  /** Accepts a server chain that either trust manager accepts. */
  private static final class EitherTrustManager implements X509TrustManager {
    private final X509TrustManager first;
    private final X509TrustManager second;

    EitherTrustManager(X509TrustManager first, X509TrustManager second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("the sidecar does not accept client certificates");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      try {
        first.checkServerTrusted(chain, authType);
      } catch (CertificateException notByJvm) {
        second.checkServerTrusted(chain, authType);
      }
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      List<X509Certificate> all = new ArrayList<>(List.of(first.getAcceptedIssuers()));
      all.addAll(List.of(second.getAcceptedIssuers()));
      return all.toArray(new X509Certificate[0]);
    }
  }
}
