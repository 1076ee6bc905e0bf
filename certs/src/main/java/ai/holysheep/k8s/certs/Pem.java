package ai.holysheep.k8s.certs;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** PEM encoding and decoding of certificates and private keys. Keys are written as PKCS#8. */
public final class Pem {
  private static final int LINE_LENGTH = 64;

  private Pem() {}

  public static String encodeCertificate(X509Certificate certificate) {
    try {
      return block("CERTIFICATE", certificate.getEncoded());
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new CertificateException("cannot encode certificate: " + e.getMessage(), e);
    }
  }

  /** Concatenated PEM blocks, e.g. a CA bundle holding the old and the new CA. */
  public static String encodeCertificates(List<X509Certificate> certificates) {
    StringBuilder out = new StringBuilder();
    certificates.forEach(c -> out.append(encodeCertificate(c)));
    return out.toString();
  }

  /** PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}). */
  public static String encodePrivateKey(PrivateKey key) {
    return block("PRIVATE KEY", key.getEncoded());
  }

  /** Every certificate in the text, in order; a text without one is an error. */
  public static List<X509Certificate> decodeCertificates(String pem) {
    if (pem == null || !pem.contains("-----BEGIN CERTIFICATE-----")) {
      throw new CertificateException(
          "no PEM certificate found (expected -----BEGIN CERTIFICATE-----)");
    }
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      List<X509Certificate> out = new ArrayList<>();
      for (var c :
          factory.generateCertificates(
              new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
        out.add((X509Certificate) c);
      }
      return out;
    } catch (java.security.cert.CertificateException e) {
      throw new CertificateException("invalid PEM certificate: " + e.getMessage(), e);
    }
  }

  /** The first certificate in the text (the leaf, for a chain file). */
  public static X509Certificate decodeCertificate(String pem) {
    return decodeCertificates(pem).get(0);
  }

  /** A private key in PKCS#8, SEC1 ({@code EC PRIVATE KEY}) or PKCS#1 ({@code RSA PRIVATE KEY}). */
  public static PrivateKey decodePrivateKey(String pem) {
    if (pem == null) {
      throw new CertificateException("no PEM private key found");
    }
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
        if (o instanceof PEMKeyPair pair) {
          return converter.getPrivateKey(pair.getPrivateKeyInfo());
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new CertificateException("invalid PEM private key: " + e.getMessage(), e);
    }
    throw new CertificateException(
        "no PEM private key found (expected PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY)");
  }

  private static String block(String type, byte[] der) {
    String body = Base64.getMimeEncoder(LINE_LENGTH, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }
}
