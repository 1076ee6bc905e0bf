package ai.holysheep.k8s.webhook.kube;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * fabric8's CRUD dispatcher (7.9), with watch events written from a thread nobody on the event loop
 * waits for. fabric8 sends each event from the watch's own executor and blocks that executor until
 * the write completes, which needs the mock server's one event loop; when a client closes the
 * watch, the close handler blocks that same event loop until the executor is done (up to a minute).
 * A close arriving while an event is being written thus stalls the whole mock server for the
 * write's own 30 s limit, and {@code MockWebServer.shutdown()} gives up after 10 s ("Unable to
 * close MockWebServer"). Here the watch is handed a socket whose sends and close go, in order, to a
 * thread of its own: fabric8's executor never blocks, its close handler returns at once.
 */
final class NonBlockingWatches extends KubernetesCrudDispatcher implements AutoCloseable {
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  private final Set<ExecutorService> writers = ConcurrentHashMap.newKeySet();
  private final AtomicInteger closesHandled = new AtomicInteger();

  @Override
  public MockResponse handleWatch(String path) {
    MockResponse response = super.handleWatch(path);
    WebSocketListener watch = response.getWebSocketListener();
    return watch == null ? response : response.withWebSocketUpgrade(new Listener(watch));
  }

  /** Watch closes (by the client, or failed) whose handling has returned. */
  int closesHandled() {
    return closesHandled.get();
  }

  /** Ends the writers of watches still open; their writes fail once the server is closed. */
  @Override
  public void close() {
    for (ExecutorService writer : writers) {
      writer.shutdownNow();
    }
    try {
      for (ExecutorService writer : writers) {
        writer.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Passes every callback on, with the socket replaced by one that writes on its own thread. */
  private final class Listener extends WebSocketListener {
    private final WebSocketListener watch;
    private Writer writer;

    Listener(WebSocketListener watch) {
      this.watch = watch;
    }

    private synchronized Writer writer(WebSocket socket) {
      if (writer == null) {
        writer = new Writer(socket);
      }
      return writer;
    }

    @Override
    public void onBeforeAccept(WebSocket socket, Response response) {
      watch.onBeforeAccept(writer(socket), response);
    }

    @Override
    public void onOpen(WebSocket socket, Response response) {
      watch.onOpen(writer(socket), response);
    }

    @Override
    public void onMessage(WebSocket socket, String text) {
      watch.onMessage(writer(socket), text);
    }

    @Override
    public void onMessage(WebSocket socket, byte[] bytes) {
      watch.onMessage(writer(socket), bytes);
    }

    @Override
    public void onMessage(WebSocket socket, ByteString bytes) {
      watch.onMessage(writer(socket), bytes);
    }

    @Override
    public void onClosing(WebSocket socket, int code, String reason) {
      watch.onClosing(writer(socket), code, reason);
    }

    @Override
    public void onClosed(WebSocket socket, int code, String reason) {
      watch.onClosed(writer(socket), code, reason);
      closesHandled.incrementAndGet();
    }

    @Override
    public void onFailure(WebSocket socket, Throwable failure, Response response) {
      watch.onFailure(writer(socket), failure, response);
      closesHandled.incrementAndGet();
    }
  }

  /** The socket fabric8's watch writes to: sends and the close, in order, on one thread. */
  private final class Writer implements WebSocket {
    private final WebSocket socket;
    private final ExecutorService thread =
        Executors.newSingleThreadExecutor(
            task -> {
              Thread t = new Thread(task, "mock-api-watch-writer");
              t.setDaemon(true);
              return t;
            });
    private boolean closing;

    Writer(WebSocket socket) {
      this.socket = socket;
      writers.add(thread);
    }

    @Override
    public RecordedRequest request() {
      return socket.request();
    }

    @Override
    public boolean send(String text) {
      return later(() -> socket.send(text));
    }

    @Override
    public boolean send(byte[] bytes) {
      return later(() -> socket.send(bytes));
    }

    @Override
    public synchronized boolean close(int code, String reason) {
      if (!closing) {
        closing = true;
        later(() -> socket.close(code, reason));
        thread.shutdown();
      }
      return true;
    }

    /** False once closed: like a send on a closed socket, which fabric8 ignores. */
    private synchronized boolean later(Runnable write) {
      try {
        thread.execute(write);
        return true;
      } catch (RejectedExecutionException closed) {
        return false;
      }
    }
  }
}
