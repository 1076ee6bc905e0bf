package ai.holysheep.k8s.sidecar.gateway;

import java.io.ByteArrayOutputStream;
import java.util.Base64;

/**
 * Vert.x reads PKCS#8 and PKCS#1 private keys but not SEC1 ({@code EC PRIVATE KEY}, RFC 5915),
 * which is what cert-manager writes for an ECDSA key unless told otherwise. This rewraps a SEC1 key
 * as PKCS#8 (RFC 5208) with a few lines of DER instead of a crypto library in the sidecar jar.
 */
final class PrivateKeyPem {
  private static final String SEC1_BEGIN = "-----BEGIN EC PRIVATE KEY-----";
  private static final String SEC1_END = "-----END EC PRIVATE KEY-----";

  /** DER of OID 1.2.840.10045.2.1 (id-ecPublicKey). */
  private static final byte[] EC_PUBLIC_KEY_OID = {
    0x06, 0x07, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x02, 0x01
  };

  /**
   * Named-curve OIDs by private key length, for SEC1 keys that leave out their optional curve
   * parameters (Go and OpenSSL write them; some libraries do not): P-256, P-384, P-521.
   */
  private static final java.util.Map<Integer, byte[]> CURVE_BY_KEY_LENGTH =
      java.util.Map.of(
          32, new byte[] {0x06, 0x08, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x03, 0x01, 0x07},
          48, new byte[] {0x06, 0x05, 0x2B, (byte) 0x81, 0x04, 0x00, 0x22},
          66, new byte[] {0x06, 0x05, 0x2B, (byte) 0x81, 0x04, 0x00, 0x23});

  private PrivateKeyPem() {}

  /**
   * The PEM unchanged, or a SEC1 key as PKCS#8.
   *
   * @throws IllegalArgumentException when a SEC1 key cannot be read or names no curve
   */
  static String normalize(String pem) {
    int begin = pem.indexOf(SEC1_BEGIN);
    int end = pem.indexOf(SEC1_END);
    if (begin < 0 || end < begin) {
      return pem;
    }
    byte[] sec1 =
        Base64.getMimeDecoder().decode(pem.substring(begin + SEC1_BEGIN.length(), end).strip());
    byte[] curve = namedCurve(sec1);
    byte[] algorithm = tlv(0x30, concat(EC_PUBLIC_KEY_OID, curve));
    byte[] info = tlv(0x30, concat(new byte[] {0x02, 0x01, 0x00}, algorithm, tlv(0x04, sec1)));
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(info)
        + "\n-----END PRIVATE KEY-----\n";
  }

  /**
   * The OID element inside the {@code [0] parameters} of an ECPrivateKey SEQUENCE, else the curve
   * its private key's length implies.
   */
  private static byte[] namedCurve(byte[] sec1) {
    if (sec1.length < 2 || sec1[0] != 0x30) {
      throw new IllegalArgumentException("EC PRIVATE KEY is not a DER SEQUENCE");
    }
    int[] outer = length(sec1, 1);
    int position = outer[1];
    int limit = Math.min(sec1.length, position + outer[0]);
    byte[] implied = null;
    while (position < limit) {
      int tag = sec1[position] & 0xFF;
      int[] len = length(sec1, position + 1);
      if (tag == 0x04) {
        implied = CURVE_BY_KEY_LENGTH.get(len[0]);
      }
      if (tag == 0xA0) {
        int start = len[1];
        if (start + len[0] > sec1.length || sec1[start] != 0x06) {
          break;
        }
        byte[] oid = new byte[len[0]];
        System.arraycopy(sec1, start, oid, 0, len[0]);
        return oid;
      }
      position = len[1] + len[0];
    }
    if (implied != null) {
      return implied;
    }
    throw new IllegalArgumentException(
        "EC PRIVATE KEY names no curve; write the key as PKCS#8 (openssl pkcs8 -topk8 -nocrypt)");
  }

  /** {length, offset of the content} of the length field at {@code at}. */
  private static int[] length(byte[] der, int at) {
    if (at >= der.length) {
      throw new IllegalArgumentException("EC PRIVATE KEY is truncated");
    }
    int first = der[at] & 0xFF;
    if (first < 0x80) {
      return new int[] {first, at + 1};
    }
    int bytes = first & 0x7F;
    if (bytes == 0 || bytes > 3 || at + bytes >= der.length) {
      throw new IllegalArgumentException("EC PRIVATE KEY has a bad DER length");
    }
    int value = 0;
    for (int i = 1; i <= bytes; i++) {
      value = (value << 8) | (der[at + i] & 0xFF);
    }
    return new int[] {value, at + 1 + bytes};
  }

  private static byte[] tlv(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int n = content.length;
    if (n < 0x80) {
      out.write(n);
    } else if (n < 0x100) {
      out.write(0x81);
      out.write(n);
    } else {
      out.write(0x82);
      out.write(n >> 8);
      out.write(n & 0xFF);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
