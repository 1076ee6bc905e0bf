package ai.holysheep.k8s.sidecar.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A Vert.x whose HTTP client plays a caller thread that the OS deschedules at the worst moment: the
 * first step chained on {@code client.request(...)} is attached, and the caller then stays off the
 * CPU until that step's whole exchange is over (the answer received and delivered), before it
 * attaches anything further. On a machine at load 15 a plain thread calling the API client waits
 * like this now and then; here it waits every time, so a client that chains the reading of the
 * answer from the caller's thread loses the answer every time instead of once in a few hundred
 * runs.
 *
 * <p>The event loop count must be 1 (see {@link #around}): the connection and the caller's context
 * then share the one loop, so one task queued on it after the send step completed runs after the
 * rest of that network read (the body and its end) has been delivered.
 */
final class DescheduledCaller {
  /** Bounds the caller's wait; far longer than a loopback exchange, shorter than the test's own. */
  private static final Duration WAIT = Duration.ofSeconds(20);

  private DescheduledCaller() {}

  /** {@code vertx} must have been built with one event loop. */
  static Vertx around(Vertx vertx) {
    return proxy(
        Vertx.class,
        vertx,
        (method, args) -> {
          Object made = method.invoke(vertx, args);
          return method.getName().equals("createHttpClient")
                  && made instanceof HttpClientAgent client
                  && args != null
                  && args.length == 2
                  && args[0] instanceof HttpClientOptions
                  && args[1] instanceof PoolOptions
              ? client(vertx, client)
              : made;
        });
  }

  private static HttpClientAgent client(Vertx vertx, HttpClientAgent client) {
    return proxy(
        HttpClientAgent.class,
        client,
        (method, args) -> {
          Object made = method.invoke(client, args);
          return method.getName().equals("request")
                  && args != null
                  && args.length == 1
                  && args[0] instanceof RequestOptions
              ? firstStepThenDescheduled(vertx, (Future<?>) made)
              : made;
        });
  }

  private static Future<?> firstStepThenDescheduled(Vertx vertx, Future<?> request) {
    return proxy(
        Future.class,
        request,
        (method, args) -> {
          Object made = method.invoke(request, args);
          if (method.getName().equals("compose") && made instanceof Future<?> step) {
            awaitQuietly(step.toCompletionStage().toCompletableFuture());
            CompletableFuture<Void> rest = new CompletableFuture<>();
            vertx.runOnContext(v -> rest.complete(null));
            awaitQuietly(rest);
          }
          return made;
        });
  }

  private static void awaitQuietly(CompletableFuture<?> future) throws InterruptedException {
    try {
      future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // Whatever the step's outcome, the caller now resumes; the client's own bound judges it.
    }
  }

  private interface Call {
    Object invoke(Method method, Object[] args) throws Exception;
  }

  @SuppressWarnings("unchecked")
  private static <T> T proxy(Class<T> type, Object target, Call call) {
    InvocationHandler handler =
        (self, method, args) -> {
          if (method.getDeclaringClass() == Object.class) {
            return method.invoke(target, args);
          }
          try {
            return call.invoke(method, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        };
    return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
  }
}
