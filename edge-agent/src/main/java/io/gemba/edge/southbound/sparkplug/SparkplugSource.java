package io.gemba.edge.southbound.sparkplug;

import static io.gemba.model.config.InvalidFieldException.requireText;

import io.gemba.connect.BrokerEndpoint;
import io.gemba.connect.TlsFiles;
import io.gemba.edge.southbound.PartCounters;
import io.gemba.model.asset.MachineState;
import io.gemba.model.config.InvalidFieldException;
import io.gemba.model.config.Names;
import io.gemba.model.envelope.Counter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A machine published by a Sparkplug B edge node (protobuf payloads, decoded with Eclipse Tahu):
 * its metrics by name, as announced in the node's or device's BIRTH.
 *
 * @param broker the broker the edge node publishes to, {@code tcp://} or {@code ssl://}
 * @param groupId the Sparkplug group id
 * @param edgeNode the edge node id
 * @param device the device id; absent for metrics published by the edge node itself
 * @param signals metrics that become signals
 * @param state the metric holding the machine state and what its values mean
 * @param counters the metrics holding the cumulative part counters
 */
public record SparkplugSource(
    String broker,
    String username,
    Path passwordFile,
    TlsFiles tls,
    Boolean allowPlaintext,
    String groupId,
    String edgeNode,
    String device,
    List<Signal> signals,
    State state,
    Counters counters) {

  /** A metric read as a signal. */
  public record Signal(String name, String metric) {
    public Signal {
      Names.requireSignal("name", name);
      requireText("metric", metric);
    }
  }

  /**
   * The state metric; its values (numbers or texts) are matched by their text. {@code reason},
   * optional, is the metric holding the stop reason.
   */
  public record State(String metric, Map<String, MachineState> map, String reason) {
    public State {
      requireText("metric", metric);
      if (reason != null) {
        requireText("reason", reason);
      }
      if (map == null || map.isEmpty()) {
        throw new InvalidFieldException(
            "map", "expected metric values mapped to states, e.g. { 1: producing, 2: idle }");
      }
      map = Map.copyOf(map);
    }

    public MachineState stateOf(String value) {
      return map.getOrDefault(value, MachineState.UNKNOWN);
    }
  }

  /** The counter metrics: total and either good or reject; {@code rollover} as elsewhere. */
  public record Counters(String total, String good, String reject, Long rollover) {
    public Counters {
      PartCounters.require(total, good, reject, rollover, InvalidFieldException::requireText);
    }

    /** The metric of the quality counter: good parts, or rejected parts. */
    public String quality() {
      return good != null ? good : reject;
    }

    public Counter qualityCounter() {
      return PartCounters.qualityCounter(good);
    }
  }

  public SparkplugSource {
    requireText("broker", broker);
    allowPlaintext = allowPlaintext != null && allowPlaintext;
    new BrokerEndpoint(broker, username, passwordFile, tls, allowPlaintext);
    requireTopicLevel("groupId", groupId, true);
    requireTopicLevel("edgeNode", edgeNode, true);
    requireTopicLevel("device", device, false);
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
  }

  private static void requireTopicLevel(String field, String value, boolean required) {
    if (value == null && !required) {
      return;
    }
    requireText(field, value);
    if (value.contains("/") || value.contains("+") || value.contains("#")) {
      throw new InvalidFieldException(
          field, "expected one MQTT topic level without / + #, got '" + value + "'");
    }
  }

  /** The topic filter for every message of the edge node and its devices. */
  public String topicFilter() {
    return "spBv1.0/" + groupId + "/+/" + edgeNode + "/#";
  }

  /** The machine-side broker as the gateway reaches it. */
  public BrokerEndpoint endpoint() {
    return new BrokerEndpoint(broker, username, passwordFile, tls, allowPlaintext);
  }
}
