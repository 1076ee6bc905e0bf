package ai.holysheep.k8s.sidecar.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.KeyManager;
import javax.net.ssl.X509KeyManager;

/**
 * The gateway's certificate chain and key as read from its PEM files, checked to belong together (a
 * signature made with the key verifies with the certificate), so that a half-rotated Secret is
 * never served. Keys may be PKCS#8, SEC1 ({@code EC PRIVATE KEY}, as cert-manager writes; rewrapped
 * as PKCS#8 by {@link PrivateKeyPem}) or PKCS#1.
 */
record ServingCertificate(String chainPem, String keyPem, X509Certificate leaf) {

  /**
   * Reads and checks the pair; blocking file I/O.
   *
   * @throws IllegalArgumentException naming the file and what is wrong with it
   */
  static ServingCertificate load(Vertx vertx, GatewayTlsOptions files) {
    String chain = read(files.certFile());
    String key;
    try {
      key = PrivateKeyPem.normalize(read(files.keyFile()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(files.keyFile() + ": " + e.getMessage(), e);
    }
    X509Certificate leaf;
    try {
      leaf =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(
                      new ByteArrayInputStream(chain.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException(
          files.certFile() + ": not a PEM certificate (" + e.getMessage() + ")", e);
    }
    PrivateKey privateKey = privateKey(vertx, chain, key, files);
    checkPair(leaf, privateKey, files);
    return new ServingCertificate(chain, key, leaf);
  }

  ServerSSLOptions sslOptions() {
    return new ServerSSLOptions()
        .setKeyCertOptions(keyCert(chainPem, keyPem))
        .setEnabledSecureTransportProtocols(GatewayTlsOptions.PROTOCOLS);
  }

  boolean sameFilesAs(ServingCertificate other) {
    return other != null && chainPem.equals(other.chainPem) && keyPem.equals(other.keyPem);
  }

  private static PemKeyCertOptions keyCert(String chain, String key) {
    return new PemKeyCertOptions()
        .addCertValue(Buffer.buffer(chain))
        .addKeyValue(Buffer.buffer(key));
  }

  private static String read(java.nio.file.Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e, e);
    }
  }

  /** Vert.x's own PEM reader, so that whatever it can serve is what is checked here. */
  private static PrivateKey privateKey(
      Vertx vertx, String chain, String key, GatewayTlsOptions files) {
    try {
      for (KeyManager manager : keyCert(chain, key).getKeyManagerFactory(vertx).getKeyManagers()) {
        if (manager instanceof X509KeyManager x509) {
          for (String type : new String[] {"EC", "RSA", "EdDSA", "Ed25519"}) {
            String[] aliases = x509.getServerAliases(type, null);
            if (aliases != null && aliases.length > 0) {
              return x509.getPrivateKey(aliases[0]);
            }
          }
        }
      }
    } catch (Exception e) {
      throw new IllegalArgumentException(
          files.keyFile()
              + ": not a PEM private key that fits "
              + files.certFile()
              + " ("
              + e.getMessage()
              + ")",
          e);
    }
    throw new IllegalArgumentException(files.keyFile() + ": no usable private key");
  }

  private static void checkPair(X509Certificate leaf, PrivateKey key, GatewayTlsOptions files) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "EC" -> "SHA256withECDSA";
          case "RSA" -> "SHA256withRSA";
          default -> key.getAlgorithm();
        };
    try {
      byte[] challenge = new byte[32];
      new SecureRandom().nextBytes(challenge);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(leaf.getPublicKey());
      verifier.update(challenge);
      if (verifier.verify(signature)) {
        return;
      }
    } catch (GeneralSecurityException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        files.keyFile() + " does not belong to the certificate in " + files.certFile());
  }

  @Override
  public String toString() {
    return "ServingCertificate[" + leaf.getSubjectX500Principal() + ", key redacted]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ServingCertificate other && sameFilesAs(other);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(new Object[] {chainPem, keyPem});
  }
}
