package io.gemba.edge.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Serves {@code GET /metrics} (Prometheus text format) and {@code GET /health} (JSON; 200 when
 * healthy, 503 when not) with the JDK's built-in HTTP server: a gateway needs no web framework for
 * two read-only endpoints.
 */
public final class MetricsServer implements AutoCloseable {

  /** What {@code /health} reports. */
  public record Health(boolean healthy, String json) {}

  private final HttpServer server;

  public MetricsServer(String host, int port, EdgeMetrics metrics, Supplier<Health> health) {
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 16);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve metrics on " + host + ":" + port, e);
    }
    server.setExecutor(
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "edge-metrics");
              t.setDaemon(true);
              return t;
            }));
    server.createContext(
        "/metrics",
        exchange -> respond(exchange, 200, "text/plain; version=0.0.4", metrics.scrape()));
    server.createContext(
        "/health",
        exchange -> {
          Health h = health.get();
          respond(exchange, h.healthy() ? 200 : 503, "application/json", h.json());
        });
    server.start();
  }

  private static void respond(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
