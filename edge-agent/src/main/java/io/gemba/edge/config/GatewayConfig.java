package io.gemba.edge.config;

import io.gemba.model.config.ConfigException;
import io.gemba.model.config.InvalidFieldException;
import io.gemba.model.config.YamlConfigLoader;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One gateway's configuration file: who the gateway is, where it sends, where it buffers, and which
 * machines it reads. {@code metrics} is optional. See docs/gateway-config.md.
 */
public record GatewayConfig(
    Gateway gateway,
    Uplink uplink,
    BufferConfig buffer,
    MetricsConfig metrics,
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

  /**
   * Loads and validates a gateway file.
   *
   * @throws ConfigException naming the file, the field and what was expected
   */
  public static GatewayConfig load(Path file) {
    return new YamlConfigLoader().load(file, GatewayConfig.class);
  }
}
