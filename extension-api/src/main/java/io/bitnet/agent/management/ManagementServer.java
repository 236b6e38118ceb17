package io.bitnet.agent.management;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The management endpoints: the JDK's HTTP server on a small, bounded pool of daemon threads, routing
 * exact paths to handlers. Unknown paths get 404, methods other than GET get 405. Build it with
 * {@link #builder()}; {@link #close()} stops it.
 *
 * <pre>{@code
 * ManagementServer server = ManagementServer.builder()
 *     .host("127.0.0.1").port(0)
 *     .handler("/health", handler)
 *     .buildAndStart();
 * int port = server.getPort();
 * }</pre>
 */
public final class ManagementServer implements Closeable {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 9465;
  public static final int DEFAULT_THREADS = 2;
  static final int MAX_THREADS = 4;
  static final int QUEUE_CAPACITY = 32;
  static final int BACKLOG = 16;

  private final HttpServer server;
  private final ExecutorService executor;

  private ManagementServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The bound port: the configured one, or the one the system chose for port 0. */
  public int getPort() {
    return server.getAddress().getPort();
  }

  /** Stops accepting, closes the listening socket and ends the threads. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** Options, checked as they are set; defaults filled in at {@link #buildAndStart()}. */
  public static final class Builder {
    private String host;
    private Integer port;
    private Integer threads;
    private final Map<String, HttpHandler> handlers = new LinkedHashMap<>();

    private Builder() {}

    /** The address to bind; default {@value ManagementServer#DEFAULT_HOST}. */
    public Builder host(String host) {
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException("host must not be empty");
      }
      this.host = host.trim();
      return this;
    }

    /** The port; 0 lets the system choose one. Default {@value ManagementServer#DEFAULT_PORT}. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be from 0 to 65535, not " + port);
      }
      this.port = port;
      return this;
    }

    /** Handler threads, 1 to {@value ManagementServer#MAX_THREADS}; default {@value ManagementServer#DEFAULT_THREADS}. */
    public Builder threads(int threads) {
      if (threads < 1 || threads > MAX_THREADS) {
        throw new IllegalArgumentException("threads must be from 1 to " + MAX_THREADS + ", not " + threads);
      }
      this.threads = threads;
      return this;
    }

    /** Serves GET on exactly this path; each path once. */
    public Builder handler(String path, HttpHandler handler) {
      if (path == null || !path.startsWith("/")) {
        throw new IllegalArgumentException("path must start with '/': " + path);
      }
      if (handler == null) {
        throw new IllegalArgumentException("handler for " + path + " is null");
      }
      if (handlers.putIfAbsent(path, handler) != null) {
        throw new IllegalArgumentException("two handlers for " + path);
      }
      return this;
    }

    /**
     * Binds and starts the server.
     *
     * @throws IOException when the address cannot be bound, for example a port already in use
     */
    public ManagementServer buildAndStart() throws IOException {
      String h = host == null ? DEFAULT_HOST : host;
      int p = port == null ? DEFAULT_PORT : port;
      int n = threads == null ? DEFAULT_THREADS : threads;
      InetSocketAddress address = new InetSocketAddress(h, p);
      if (address.isUnresolved()) {
        throw new IOException("cannot resolve host " + h);
      }
      HttpServer server = HttpServer.create(address, BACKLOG);
      // a full queue makes the accepting thread serve the exchange itself: back-pressure, never growth
      ThreadPoolExecutor executor = new ThreadPoolExecutor(n, n, 60, TimeUnit.SECONDS,
          new ArrayBlockingQueue<>(QUEUE_CAPACITY), new DaemonThreadFactory(), new ThreadPoolExecutor.CallerRunsPolicy());
      executor.allowCoreThreadTimeOut(true);
      server.setExecutor(executor);
      HttpContext context = server.createContext("/", new Router(Map.copyOf(handlers)));
      // The agent's JDK HTTP server instrumentation adds a tracing filter to every context; probes hit
      // this server every few seconds and must not produce traces, so the context keeps no filters.
      context.getFilters().clear();
      startAsDaemon(server, executor);
      return new ManagementServer(server, executor);
    }
  }

  /**
   * Starts the server from a daemon thread. The JDK's dispatcher thread inherits the daemon flag of
   * the thread that starts it; started from the agent's (non-daemon) thread it would keep the JVM
   * alive after the application's main method returns.
   */
  private static void startAsDaemon(HttpServer server, ExecutorService executor) throws IOException {
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    Thread starter = new Thread(() -> {
      try {
        server.start();
      } catch (RuntimeException e) {
        failure.set(e);
      }
    }, "bitnet-management-start");
    starter.setDaemon(true);
    starter.start();
    try {
      starter.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure.compareAndSet(null, new IllegalStateException("interrupted while starting"));
    }
    if (failure.get() != null) {
      server.stop(0);
      executor.shutdownNow();
      throw new IOException("management server did not start: " + failure.get(), failure.get());
    }
  }

  /** Exact-path routing; GET only. */
  private static final class Router implements HttpHandler {
    private final Map<String, HttpHandler> handlers;

    Router(Map<String, HttpHandler> handlers) {
      this.handlers = handlers;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
      try {
        HttpHandler handler = handlers.get(exchange.getRequestURI().getPath());
        if (handler == null) {
          Responses.text(exchange, 404, "Not Found\n");
        } else if (!"GET".equals(exchange.getRequestMethod())) {
          exchange.getResponseHeaders().set("Allow", "GET");
          Responses.text(exchange, 405, "Method Not Allowed\n");
        } else {
          handler.handle(exchange);
        }
      } catch (RuntimeException e) {
        internalError(exchange);
      } finally {
        exchange.close();
      }
    }
  }

  /** A 500 for a handler that failed before it answered; nothing when it had already begun. */
  private static void internalError(HttpExchange exchange) {
    try {
      if (exchange.getResponseCode() == -1) {
        Responses.text(exchange, 500, "Internal Server Error\n");
      }
    } catch (IOException | RuntimeException ignored) {
      // the client sees the connection close
    }
  }

  private static final class DaemonThreadFactory implements ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable r) {
      Thread t = new Thread(r, "bitnet-management-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    }
  }
}
