package ai.holysheep.k8s.webhook.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The webhook's Prometheus metrics: {@code holysheep_webhook_admissions_total{path,result,reason}},
 * {@code holysheep_webhook_admission_duration_seconds{path}} and {@code
 * holysheep_webhook_cert_expiry_seconds} (seconds until the served certificate expires).
 */
public final class WebhookMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicReference<Supplier<Duration>> certRemaining =
      new AtomicReference<>(() -> Duration.ZERO);

  public WebhookMetrics() {
    Gauge.builder(
            "holysheep.webhook.cert.expiry",
            certRemaining,
            ref -> ref.get().get().toMillis() / 1000.0)
        .baseUnit("seconds")
        .description("Seconds until the served TLS certificate expires")
        .register(registry);
  }

  /** Counts one admission and records how long it took. Labels must be from a bounded set. */
  public void recordAdmission(String path, String result, String reason, Duration took) {
    Counter.builder("holysheep.webhook.admissions")
        .description("Admission requests by route, result and reason")
        .tag("path", path)
        .tag("result", result)
        .tag("reason", reason)
        .register(registry)
        .increment();
    Timer.builder("holysheep.webhook.admission.duration")
        .description("Time to answer an admission request")
        .tag("path", path)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry)
        .record(took);
  }

  /** Where the certificate expiry gauge reads the remaining validity of the served certificate. */
  public void certificateRemaining(Supplier<Duration> remaining) {
    certRemaining.set(remaining);
  }

  /** A gauge read at scrape time, e.g. open connections. */
  public void gauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value, v -> v.get().doubleValue())
        .description(description)
        .register(registry);
  }

  /** Prometheus text exposition. */
  public String scrape() {
    return registry.scrape();
  }
}
