package ai.holysheep.k8s.sidecar.cache;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Entries in a shared Redis: {@code SET key value PX ttl} and one {@code MGET} per lookup. Every
 * call is bounded by {@code commandTimeout}. The pooled client opens a new connection on the next
 * call after Redis went away, so it recovers by itself once Redis is back. After a failure the
 * password is read again, and the client rebuilt if it changed (a rotated Secret).
 */
final class RedisStore implements CacheStore {
  private static final System.Logger LOG = System.getLogger(RedisStore.class.getName());

  private final Vertx vertx;
  private final String connectionString;
  private final Supplier<String> passwordSource;
  private final Duration commandTimeout;
  private final Duration passwordRecheckInterval;
  private Redis client;
  private String password;
  private boolean closed;
  private long lastPasswordCheck = System.nanoTime();
  private final Future<Void> warmUp;

  RedisStore(
      Vertx vertx, String connectionString, Supplier<String> passwordSource, Duration timeout) {
    this(vertx, connectionString, passwordSource, timeout, CacheDefaults.PASSWORD_RECHECK_INTERVAL);
  }

  RedisStore(
      Vertx vertx,
      String connectionString,
      Supplier<String> passwordSource,
      Duration timeout,
      Duration passwordRecheckInterval) {
    this.vertx = vertx;
    this.connectionString = connectionString;
    this.passwordSource = passwordSource == null ? () -> null : passwordSource;
    this.commandTimeout = timeout;
    this.passwordRecheckInterval = passwordRecheckInterval;
    this.password = readPassword();
    this.client = Redis.createClient(vertx, options(password));
    this.warmUp = warmUp(client);
    LOG.log(
        System.Logger.Level.INFO,
        "stale cache in Redis at {0} ({1})",
        redacted(connectionString),
        password == null ? "no password" : "password set");
  }

  @Override
  public Future<Void> put(String key, StoredEntry entry, Duration ttl) {
    Request set =
        Request.cmd(Command.SET)
            .arg(key)
            .arg(EntryCodec.encode(entry))
            .arg("PX")
            .arg(Math.max(1, ttl.toMillis()));
    // Stores are fire-and-forget, so the first ones may wait for the warm-up connection.
    return warmUp.compose(ready -> send(set)).mapEmpty();
  }

  @Override
  public Future<List<StoredEntry>> getAll(List<String> keys) {
    Request mget = Request.cmd(Command.MGET);
    keys.forEach(mget::arg);
    return send(mget)
        .map(
            values -> {
              List<StoredEntry> found = new ArrayList<>(keys.size());
              for (int i = 0; i < keys.size(); i++) {
                Response value = values == null || i >= values.size() ? null : values.get(i);
                found.add(value == null ? null : EntryCodec.decode(value.toBuffer()));
              }
              return found;
            });
  }

  @Override
  public synchronized Future<Void> close() {
    closed = true;
    return client.close();
  }

  private Future<Response> send(Request request) {
    Redis current;
    synchronized (this) {
      if (closed) {
        return Future.failedFuture("cache closed");
      }
      current = client;
    }
    Future<Response> sent;
    try {
      sent = current.send(request);
    } catch (RuntimeException rejected) {
      sent = Future.failedFuture(rejected);
    }
    return sent.timeout(commandTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .onFailure(failure -> refreshPasswordAfterFailure());
  }

  /**
   * Opens the first pooled connection (TCP, HELLO, AUTH, SELECT and class loading) in the
   * background at startup, under a generous bound, so the short command timeout is not spent on a
   * cold start. Always succeeds: a Redis that is down now is handled like one that goes down later.
   */
  private Future<Void> warmUp(Redis redis) {
    return redis
        .send(Request.cmd(Command.PING))
        .timeout(CacheDefaults.REDIS_WARM_UP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .<Void>mapEmpty()
        .otherwiseEmpty();
  }

  private void refreshPasswordAfterFailure() {
    long now = System.nanoTime();
    synchronized (this) {
      if (closed || now - lastPasswordCheck < passwordRecheckInterval.toNanos()) {
        return;
      }
      lastPasswordCheck = now;
    }
    String latest = readPassword();
    Redis stale;
    synchronized (this) {
      if (closed || Objects.equals(latest, password)) {
        return;
      }
      password = latest;
      stale = client;
      client = Redis.createClient(vertx, options(latest));
    }
    LOG.log(System.Logger.Level.INFO, "Redis password changed; reconnecting");
    stale.close();
  }

  private String readPassword() {
    try {
      String value = passwordSource.get();
      return value == null || value.isBlank() ? null : value.strip();
    } catch (RuntimeException unreadable) {
      LOG.log(
          System.Logger.Level.WARNING,
          "cannot read the Redis password: {0}",
          unreadable.getClass().getSimpleName());
      return null;
    }
  }

  private RedisOptions options(String currentPassword) {
    boolean tls = connectionString.toLowerCase(Locale.ROOT).startsWith("rediss://");
    NetClientOptions net =
        new NetClientOptions()
            .setConnectTimeout((int) CacheDefaults.REDIS_CONNECT_TIMEOUT.toMillis())
            .setTcpNoDelay(true)
            .setSsl(tls);
    if (tls) {
      net.setHostnameVerificationAlgorithm("HTTPS");
    }
    RedisOptions options =
        new RedisOptions()
            .setConnectionString(connectionString)
            .setNetClientOptions(net)
            .setMaxPoolSize(CacheDefaults.REDIS_MAX_POOL_SIZE)
            .setMaxPoolWaiting(CacheDefaults.REDIS_MAX_POOL_WAITING)
            .setMaxWaitingHandlers(CacheDefaults.REDIS_MAX_WAITING_HANDLERS);
    if (currentPassword != null) {
      options.setPassword(currentPassword);
    }
    return options;
  }

  /** The URL without any user-info part, for logs. */
  static String redacted(String url) {
    int scheme = url.indexOf("://");
    int at = url.lastIndexOf('@');
    return scheme >= 0 && at > scheme ? url.substring(0, scheme + 3) + url.substring(at + 1) : url;
  }
}
