package ai.holysheep.k8s.webhook.tls;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.util.Set;

/** TLS settings of the webhook listener: TLS 1.2 and 1.3 only, whatever the JDK allows. */
public final class TlsOptions {
  public static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

  private TlsOptions() {}

  public static PemKeyCertOptions keyCert(ServingCertificate certificate) {
    return new PemKeyCertOptions()
        .addCertValue(Buffer.buffer(certificate.chainPem()))
        .addKeyValue(Buffer.buffer(certificate.keyPem()));
  }

  /** For {@code HttpServer.updateSSLOptions}: the whole SSL configuration, not only the key. */
  public static ServerSSLOptions sslOptions(ServingCertificate certificate) {
    return new ServerSSLOptions()
        .setKeyCertOptions(keyCert(certificate))
        .setEnabledSecureTransportProtocols(PROTOCOLS);
  }

  public static HttpServerOptions apply(HttpServerOptions options, ServingCertificate certificate) {
    return options
        .setSsl(true)
        .setKeyCertOptions(keyCert(certificate))
        .setEnabledSecureTransportProtocols(PROTOCOLS);
  }
}
