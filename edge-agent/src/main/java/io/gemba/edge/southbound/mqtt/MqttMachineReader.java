package io.gemba.edge.southbound.mqtt;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gemba.edge.metrics.EdgeMetrics;
import io.gemba.edge.northbound.ReadingSink;
import io.gemba.edge.southbound.StateTracker;
import io.gemba.model.asset.MachineState;
import io.gemba.model.config.InvalidFieldException;
import io.gemba.model.envelope.Counter;
import io.gemba.model.envelope.CounterReading;
import io.gemba.model.envelope.MachineRef;
import io.gemba.model.envelope.Quality;
import io.gemba.model.envelope.SignalValue;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/**
 * Reads a machine that publishes JSON over MQTT: subscribes to its topic filter, takes signals,
 * state and counters from the configured JSON paths, and dates them with the payload's timestamp
 * field (epoch milliseconds or ISO-8601) or the arrival time. A payload that is not JSON, or a
 * field of the wrong type, is counted and logged with its reason; the rest of the message is still
 * used. States and counters are passed on when they change, since many devices repeat them in every
 * message.
 */
public final class MqttMachineReader extends MqttFedReader {

  private final MqttMachineSource source;
  private final ObjectMapper mapper = new ObjectMapper();
  private final List<CompiledSignal> signals = new ArrayList<>();
  private final JsonPointer timestamp;
  private final JsonPointer statePath;
  private final JsonPointer reasonPath;
  private final JsonPointer totalPath;
  private final JsonPointer qualityPath;
  private final StateTracker states = new StateTracker();
  private Long lastTotal;
  private Long lastQuality;

  private record CompiledSignal(String name, JsonPointer path) {}

  public MqttMachineReader(
      MachineRef machine,
      MqttMachineSource source,
      ReadingSink sink,
      EdgeMetrics metrics,
      SouthboundConnections connections) {
    super("mqtt source", machine, source.endpoint(), source.topic(), sink, metrics, connections);
    this.source = source;
    for (MqttSignal s : source.signals()) {
      signals.add(new CompiledSignal(s.name(), JsonPath.compile("path", s.path())));
    }
    this.timestamp =
        source.timestamp() == null ? null : JsonPath.compile("timestamp", source.timestamp());
    this.statePath =
        source.state() == null ? null : JsonPath.compile("path", source.state().path());
    this.reasonPath =
        source.state() == null || source.state().reason() == null
            ? null
            : JsonPath.compile("reason", source.state().reason());
    this.totalPath =
        source.counters() == null ? null : JsonPath.compile("total", source.counters().total());
    this.qualityPath =
        source.counters() == null ? null : JsonPath.compile("quality", source.counters().quality());
  }

  @Override
  protected void handle(String topic, MqttMessage message) {
    long arrival = System.currentTimeMillis();
    valueArrived(arrival);
    JsonNode root;
    try {
      root = mapper.readTree(message.getPayload());
    } catch (IOException e) {
      reject(topic, "not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
      return;
    }
    if (root == null || !root.isObject()) {
      reject(topic, "expected a JSON object");
      return;
    }
    long ts = arrival;
    if (timestamp != null) {
      Long parsed = timestampOf(root.at(timestamp));
      if (parsed == null) {
        reject(topic, source.timestamp() + ": expected epoch milliseconds or an ISO-8601 instant");
        return;
      }
      ts = parsed;
    }
    for (CompiledSignal s : signals) {
      JsonNode value = root.at(s.path());
      if (value.isMissingNode() || value.isNull()) {
        continue; // a device may send only what changed
      }
      if (!value.isNumber() && !value.isBoolean()) {
        reject(topic, s.name() + ": expected a number, got " + value);
        continue;
      }
      double v = value.isBoolean() ? (value.booleanValue() ? 1 : 0) : value.doubleValue();
      SignalValue reading;
      try {
        // Refuses what no envelope may carry: 1e400 reads as Infinity.
        reading = new SignalValue(s.name(), ts, v, Quality.GOOD);
      } catch (InvalidFieldException e) {
        reject(topic, s.name() + ": " + e.expected());
        continue;
      }
      sink.signal(machine, reading);
    }
    try {
      readState(topic, root, ts);
    } catch (InvalidFieldException e) {
      reject(topic, source.state().path() + ": " + e.getMessage());
    }
    try {
      readCounters(topic, root, ts);
    } catch (InvalidFieldException e) {
      reject(topic, "counters: " + e.getMessage());
    }
  }

  private synchronized void readState(String topic, JsonNode root, long ts) {
    if (statePath == null) {
      return;
    }
    JsonNode value = root.at(statePath);
    if (value.isMissingNode() || value.isNull()) {
      return;
    }
    if (!value.isValueNode()) {
      reject(topic, source.state().path() + ": expected a text or number, got " + value);
      return;
    }
    MachineState state = source.state().stateOf(value.asText());
    String reason = null;
    if (reasonPath != null) {
      JsonNode r = root.at(reasonPath);
      if (r.isValueNode() && !r.isNull()) {
        reason = r.asText();
      } else if (!r.isMissingNode() && !r.isNull()) {
        reject(topic, source.state().reason() + ": expected a text or number, got " + r);
      }
    }
    states.both(ts, state, Quality.GOOD, reason).ifPresent(c -> sink.state(machine, c));
  }

  private synchronized void readCounters(String topic, JsonNode root, long ts) {
    if (totalPath == null) {
      return;
    }
    Long total = count(topic, root.at(totalPath), source.counters().total());
    if (total != null && !total.equals(lastTotal)) {
      lastTotal = total;
      sink.counter(
          machine, new CounterReading(Counter.TOTAL, ts, total, Quality.GOOD, modulus(total)));
    }
    Long good = count(topic, root.at(qualityPath), source.counters().quality());
    if (good != null && !good.equals(lastQuality)) {
      lastQuality = good;
      sink.counter(
          machine,
          new CounterReading(
              source.counters().qualityCounter(), ts, good, Quality.GOOD, modulus(good)));
    }
  }

  private Long modulus(long value) {
    Long rollover = source.counters().rollover();
    return rollover != null && rollover > value ? rollover : null;
  }

  private Long count(String topic, JsonNode value, String path) {
    if (value.isMissingNode() || value.isNull()) {
      return null;
    }
    if (!value.canConvertToLong() || !value.isIntegralNumber() || value.longValue() < 0) {
      reject(topic, path + ": expected a count of zero or more, got " + value);
      return null;
    }
    return value.longValue();
  }

  private static Long timestampOf(JsonNode node) {
    if (node.isIntegralNumber()) {
      return node.longValue();
    }
    if (node.isTextual()) {
      try {
        return Instant.parse(node.textValue()).toEpochMilli();
      } catch (DateTimeException | ArithmeticException e) {
        // Unparsable, or beyond what epoch milliseconds hold (+1000000000-01-01T00:00:00Z).
        return null;
      }
    }
    return null;
  }
}
