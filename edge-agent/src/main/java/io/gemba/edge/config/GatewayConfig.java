package io.gemba.edge.config;

import io.gemba.edge.buffer.BufferConfig;
import io.gemba.edge.metrics.MetricsConfig;
import io.gemba.edge.northbound.Uplink;
import io.gemba.edge.southbound.opcua.PkiConfig;
import io.gemba.model.config.ConfigException;
import io.gemba.model.config.InvalidFieldException;
import io.gemba.model.config.YamlConfigLoader;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One gateway's configuration file: who the gateway is, where it sends, where it buffers, and which
 * machines it reads. {@code metrics} and {@code pki} are optional. See docs/gateway-config.md.
 */
public record GatewayConfig(
    Gateway gateway,
    Uplink uplink,
    BufferConfig buffer,
    MetricsConfig metrics,
    PkiConfig pki,
    List<MachineSource> machines) {
  public GatewayConfig {
    if (gateway == null) {
      throw new InvalidFieldException("gateway", "expected { id, factory }");
    }
    if (uplink == null) {
      throw new InvalidFieldException("uplink", "expected { broker: tcp://host:1883 }");
    }
    if (buffer == null) {
      throw new InvalidFieldException(
          "buffer", "expected { dir: ./data/buffer } for the store-and-forward buffer");
    }
    if (machines == null || machines.isEmpty()) {
      throw new InvalidFieldException("machines", "expected a list of at least one machine");
    }
    machines = List.copyOf(machines);
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < machines.size(); i++) {
      if (!ids.add(machines.get(i).id())) {
        throw new InvalidFieldException(
            "machines[" + i + "].id", "duplicate machine id '" + machines.get(i).id() + "'");
      }
    }
  }

  /** The OPC UA PKI directory: {@code pki.dir}, else {@code pki} beside the buffer directory. */
  public Path pkiDir() {
    if (pki != null && pki.dir() != null) {
      return pki.dir();
    }
    Path parent = buffer.dir().toAbsolutePath().normalize().getParent();
    return parent == null ? Path.of("pki") : parent.resolve("pki");
  }

  /** The agent's OPC UA application URI. */
  public String applicationUri() {
    return pki != null && pki.applicationUri() != null
        ? pki.applicationUri()
        : "urn:gemba:edge-agent:" + gateway.id();
  }

  /**
   * Loads and validates a gateway file.
   *
   * @throws ConfigException naming the file, the field and what was expected
   */
  public static GatewayConfig load(Path file) {
    return new YamlConfigLoader().load(file, GatewayConfig.class);
  }
}
