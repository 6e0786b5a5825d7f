package io.gemba.edge.southbound.mqtt;

import static io.gemba.model.config.InvalidFieldException.requireText;

import io.gemba.connect.BrokerEndpoint;
import io.gemba.connect.TlsFiles;
import io.gemba.model.config.InvalidFieldException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A machine that publishes JSON over MQTT, as many PLC gateways and line stations do.
 *
 * @param broker the machine-side broker, {@code tcp://host:port}
 * @param topic the topic filter its messages arrive on (wildcards allowed)
 * @param tls CA, client certificate and key for an {@code ssl://} broker
 * @param timestamp path of the source timestamp (epoch milliseconds or ISO-8601); without it, the
 *     arrival time is used
 */
public record MqttMachineSource(
    String broker,
    String topic,
    String username,
    Path passwordFile,
    List<MqttSignal> signals,
    MqttStateField state,
    MqttCounterFields counters,
    String timestamp,
    TlsFiles tls,
    Boolean allowPlaintext) {
  public MqttMachineSource {
    requireText("broker", broker);
    allowPlaintext = allowPlaintext != null && allowPlaintext;
    new BrokerEndpoint(broker, username, passwordFile, tls, allowPlaintext);
    requireText("topic", topic);
    signals = signals == null ? List.of() : List.copyOf(signals);
    Set<String> names = new HashSet<>();
    for (int i = 0; i < signals.size(); i++) {
      if (!names.add(signals.get(i).name())) {
        throw new InvalidFieldException(
            "signals[" + i + "].name", "duplicate signal '" + signals.get(i).name() + "'");
      }
    }
    if (signals.isEmpty() && state == null && counters == null) {
      throw new InvalidFieldException(
          "signals", "expected at least one of signals, state or counters");
    }
    if (timestamp != null) {
      JsonPath.compile("timestamp", timestamp);
    }
  }

  /** The machine-side broker as the gateway reaches it. */
  public BrokerEndpoint endpoint() {
    return new BrokerEndpoint(broker, username, passwordFile, tls, allowPlaintext);
  }
}
