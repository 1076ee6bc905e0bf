package ai.holysheep.k8s.webhook.kube;

import ai.holysheep.k8s.certs.CertificateDefaults;
import java.time.Duration;
import java.util.List;

/**
 * Settings of the {@code self} certificate mode.
 *
 * @param namespace the injector's namespace (Secret and Service live there)
 * @param serviceName the Service the API server calls; its DNS names go in the SANs
 * @param secretName Secret holding CA, bundle and serving certificate
 * @param webhookConfigName the MutatingWebhookConfiguration whose caBundle is kept in sync
 * @param extraDnsNames / extraIps more SANs (e.g. 127.0.0.1 for a local run or a test)
 * @param caValidity lifetime of a generated CA
 * @param servingValidity lifetime of a serving certificate (capped at the CA's remaining life)
 * @param caRenewBefore a CA closer than this to expiry is replaced (staged first)
 * @param servingRenewBefore a serving certificate closer than this to expiry is reissued
 * @param caStageDelay how long a new CA sits in the bundle before certificates it signed are served
 * @param checkInterval how often the Secret is re-read and renewal decided
 */
public record SelfSignedOptions(
    String namespace,
    String serviceName,
    String secretName,
    String webhookConfigName,
    List<String> extraDnsNames,
    List<String> extraIps,
    Duration caValidity,
    Duration servingValidity,
    Duration caRenewBefore,
    Duration servingRenewBefore,
    Duration caStageDelay,
    Duration checkInterval) {
  public static final String DEFAULT_SECRET_NAME = "holysheep-injector-tls";
  public static final String DEFAULT_SERVICE_NAME = "holysheep-injector";
  public static final String DEFAULT_WEBHOOK_CONFIG_NAME = "holysheep-injector";
  public static final Duration DEFAULT_CA_VALIDITY = CertificateDefaults.DEFAULT_CA_VALIDITY;
  public static final Duration DEFAULT_SERVING_VALIDITY =
      CertificateDefaults.DEFAULT_SERVING_VALIDITY;
  public static final Duration DEFAULT_CA_RENEW_BEFORE = Duration.ofDays(365);
  public static final Duration DEFAULT_SERVING_RENEW_BEFORE =
      CertificateDefaults.DEFAULT_RENEW_BEFORE;

  /** Long enough for every replica's caBundle patch and the API server to pick the bundle up. */
  public static final Duration DEFAULT_CA_STAGE_DELAY = Duration.ofMinutes(10);

  public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofMinutes(1);

  public SelfSignedOptions {
    extraDnsNames = List.copyOf(extraDnsNames);
    extraIps = List.copyOf(extraIps);
  }

  public static SelfSignedOptions defaults(String namespace) {
    return new SelfSignedOptions(
        namespace,
        DEFAULT_SERVICE_NAME,
        DEFAULT_SECRET_NAME,
        DEFAULT_WEBHOOK_CONFIG_NAME,
        List.of(),
        List.of(),
        DEFAULT_CA_VALIDITY,
        DEFAULT_SERVING_VALIDITY,
        DEFAULT_CA_RENEW_BEFORE,
        DEFAULT_SERVING_RENEW_BEFORE,
        DEFAULT_CA_STAGE_DELAY,
        DEFAULT_CHECK_INTERVAL);
  }

  public SelfSignedOptions withNames(String service, String secret, String webhookConfig) {
    return new SelfSignedOptions(
        namespace,
        service,
        secret,
        webhookConfig,
        extraDnsNames,
        extraIps,
        caValidity,
        servingValidity,
        caRenewBefore,
        servingRenewBefore,
        caStageDelay,
        checkInterval);
  }

  public SelfSignedOptions withExtraNames(List<String> dns, List<String> ips) {
    return new SelfSignedOptions(
        namespace,
        serviceName,
        secretName,
        webhookConfigName,
        dns,
        ips,
        caValidity,
        servingValidity,
        caRenewBefore,
        servingRenewBefore,
        caStageDelay,
        checkInterval);
  }

  public SelfSignedOptions withLifetimes(
      Duration ca, Duration serving, Duration caRenew, Duration servingRenew, Duration stage) {
    return new SelfSignedOptions(
        namespace,
        serviceName,
        secretName,
        webhookConfigName,
        extraDnsNames,
        extraIps,
        ca,
        serving,
        caRenew,
        servingRenew,
        stage,
        checkInterval);
  }
}
