package io.gemba.edge.metrics;

import io.gemba.model.config.InvalidFieldException;

/**
 * Where the agent serves {@code /metrics} (Prometheus text format) and {@code /health}.
 *
 * @param host bind address (default 0.0.0.0, so that a Prometheus server on the plant network can
 *     scrape it)
 * @param port TCP port; 0 picks a free port
 */
public record MetricsConfig(String host, Integer port) {
  public MetricsConfig {
    host = host == null || host.isBlank() ? "0.0.0.0" : host;
    if (port == null || port < 0 || port > 65_535) {
      throw new InvalidFieldException("port", "expected a TCP port 0-65535, got " + port);
    }
  }
}
