package ai.holysheep.k8s.webhook.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.webhook.admission.AdmissionServer;
import ai.holysheep.k8s.webhook.cli.Webhook;
import ai.holysheep.k8s.webhook.tls.TestPki;
import ai.holysheep.k8s.webhook.tls.TestWebhooks;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Admission fuzzing (issue 10): reviews mutated from the real fixtures and golden inputs, sent at
 * concurrency 64 over TLS to the real server. Never a 5xx, never a hang, every 200 a well-formed
 * AdmissionReview whose patch applies and gives a Pod ({@link Verdict}); heap after GC bounded.
 *
 * <p>{@code -Dholysheep.fuzz.cases=N} (default {@value #DEFAULT_CASES}, {@code make fuzz} for
 * more), {@code -Dholysheep.fuzz.seed=S} to replay a run. A failing case is written to {@code
 * target/fuzz/failures/<seed>-<index>.json}; moved to {@code src/test/resources/fuzz-regressions/},
 * it is replayed by {@link #savedRegressionsStayFixed()} in every build. The run's figures go to
 * {@code target/fuzz/summary.json}.
 */
class AdmissionFuzzIT {
  static final int DEFAULT_CASES = 1000;
  static final int CONCURRENCY = 64;
  static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(20);

  /** Heap that may stay in use after the first half (caches filling: sidecars, metrics). */
  static final long HEAP_GROWTH_BOUND = 64L * 1024 * 1024;

  /** Heap the second half may add: the caches are full by then, so little or nothing. */
  static final long HEAP_SECOND_HALF_BOUND = 16L * 1024 * 1024;

  static final Path OUT = Path.of("target", "fuzz");
  static final Path REGRESSIONS = Corpus.RESOURCES.resolve("fuzz-regressions");
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path tls;
  static Vertx vertx;
  static Webhook webhook;
  static HttpClient client;
  static ExecutorService senders;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    TestPki pki = new TestPki();
    TestPki.write(tls, pki.issue());
    webhook = TestWebhooks.startFilesMode(vertx, tls, JsonNodeFactory.instance.objectNode(), null);
    senders = Executors.newFixedThreadPool(CONCURRENCY);
    client =
        HttpClient.newBuilder()
            .sslContext(pki.trustingOnlyCa())
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(ANSWER_TIMEOUT)
            .executor(senders)
            .build();
  }

  @AfterAll
  static void stop() throws Exception {
    senders.shutdownNow();
    webhook.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static Verdict send(FuzzCase fuzzCase) {
    // odd cases on the per-pod route; saved regressions (index -1) on the namespace route, which
    // injects without an opt-in annotation
    String path =
        fuzzCase.index() % 2 == 1 ? AdmissionServer.POD_PATH : AdmissionServer.NAMESPACE_PATH;
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + webhook.port() + path))
            .timeout(ANSWER_TIMEOUT)
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(fuzzCase.body()))
            .build();
    try {
      HttpResponse<String> answer = client.send(request, HttpResponse.BodyHandlers.ofString());
      return Verdict.of(fuzzCase, answer.statusCode(), answer.body());
    } catch (java.net.http.HttpTimeoutException e) {
      return Verdict.hang("no answer within " + ANSWER_TIMEOUT);
    } catch (java.io.IOException e) {
      // a body refused while it arrives (413, 429) is read to its end before the connection
      // closes (LingeringClose), so even the largest case gets its answer
      return new Verdict("reset", "connection closed without an answer: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Verdict.hang("interrupted");
    }
  }

  static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  @Test
  void mutatedReviewsNeverGetA5xxAHangOrAPatchThatDoesNotApply() throws Exception {
    long seed = Long.getLong("holysheep.fuzz.seed", System.currentTimeMillis());
    int cases = Integer.getInteger("holysheep.fuzz.cases", DEFAULT_CASES);
    System.out.println("admission fuzz: seed " + seed + ", " + cases + " cases");
    List<ObjectNode> corpus = Corpus.load();
    Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
    List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    long heapBefore = heapAfterGc();
    long started = System.nanoTime();
    // two halves: memory is bounded when the second half leaves no more behind than the first
    run(seed, 0, cases / 2, corpus, outcomes, failures);
    long heapHalfway = heapAfterGc();
    run(seed, cases / 2, cases, corpus, outcomes, failures);
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    long heapAfter = heapAfterGc();
    summarize(seed, cases, outcomes, failures.size(), took, heapBefore, heapHalfway, heapAfter);

    assertTrue(
        failures.isEmpty(),
        failures.size()
            + " failing cases:\n"
            + String.join("\n", failures.subList(0, Math.min(20, failures.size()))));
    assertTrue(
        heapHalfway - heapBefore < HEAP_GROWTH_BOUND,
        "heap after GC grew by " + (heapHalfway - heapBefore) / 1024 + " KiB in the first half");
    assertTrue(
        heapAfter - heapHalfway < HEAP_SECOND_HALF_BOUND,
        "heap after GC grew by " + (heapAfter - heapHalfway) / 1024 + " KiB in the second half");
  }

  private static void run(
      long seed,
      int from,
      int to,
      List<ObjectNode> corpus,
      Map<String, AtomicLong> outcomes,
      List<String> failures)
      throws Exception {
    ExecutorService workers = Executors.newFixedThreadPool(CONCURRENCY);
    List<Future<?>> running = new ArrayList<>();
    for (int i = from; i < to; i++) {
      int index = i;
      running.add(
          workers.submit(
              () -> {
                FuzzCase fuzzCase = FuzzCase.generate(seed, index, corpus);
                Verdict verdict = send(fuzzCase);
                outcomes
                    .computeIfAbsent(verdict.outcome(), k -> new AtomicLong())
                    .incrementAndGet();
                if (verdict.failed()) {
                  failures.add(fuzzCase.describe() + ": " + verdict.problem());
                  save(fuzzCase, verdict);
                }
                return null;
              }));
    }
    for (Future<?> f : running) {
      f.get(ANSWER_TIMEOUT.multipliedBy(2).toSeconds(), TimeUnit.SECONDS);
    }
    workers.shutdown();
  }

  @Test
  void savedRegressionsStayFixed() throws Exception {
    if (!Files.isDirectory(REGRESSIONS)) {
      return;
    }
    List<String> failures = new ArrayList<>();
    try (Stream<Path> saved = Files.list(REGRESSIONS)) {
      for (Path file : saved.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        Verdict verdict =
            send(FuzzCase.replay(file.getFileName().toString(), Files.readAllBytes(file)));
        if (verdict.failed()) {
          failures.add(file.getFileName() + ": " + verdict.problem());
        }
      }
    }
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  private static void save(FuzzCase fuzzCase, Verdict verdict) {
    try {
      Path dir = OUT.resolve("failures");
      Files.createDirectories(dir);
      String name = fuzzCase.seed() + "-" + fuzzCase.index();
      Files.write(dir.resolve(name + ".json"), fuzzCase.body());
      Files.writeString(
          dir.resolve(name + ".txt"), fuzzCase.describe() + "\n" + verdict.problem() + "\n");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void summarize(
      long seed,
      int cases,
      Map<String, AtomicLong> outcomes,
      int failed,
      Duration took,
      long heapBefore,
      long heapHalfway,
      long heapAfter)
      throws Exception {
    Map<String, Long> counts = new TreeMap<>();
    outcomes.forEach((k, v) -> counts.put(k, v.get()));
    ObjectNode summary = JSON.createObjectNode();
    summary.put("seed", seed).put("cases", cases).put("concurrency", CONCURRENCY);
    summary.put(
        "command",
        System.getProperty(
            "holysheep.fuzz.command",
            "mvn -pl webhook verify -Dit.test=AdmissionFuzzIT -Dholysheep.fuzz.cases="
                + cases
                + " -Dholysheep.fuzz.seed="
                + seed));
    summary.set("outcomes", JSON.valueToTree(counts));
    summary.put("failed", failed).put("seconds", took.toMillis() / 1000.0);
    summary.put("heapAfterGcBeforeMiB", heapBefore / (1024.0 * 1024));
    summary.put("heapAfterGcHalfwayMiB", heapHalfway / (1024.0 * 1024));
    summary.put("heapAfterGcAfterMiB", heapAfter / (1024.0 * 1024));
    Files.createDirectories(OUT);
    Files.writeString(OUT.resolve("summary.json"), summary.toPrettyString());
    System.out.println("admission fuzz summary: " + summary);
  }
}
