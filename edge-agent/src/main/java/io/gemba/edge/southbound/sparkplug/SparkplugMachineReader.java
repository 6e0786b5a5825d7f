package io.gemba.edge.southbound.sparkplug;

import io.gemba.edge.metrics.EdgeMetrics;
import io.gemba.edge.northbound.ReadingSink;
import io.gemba.edge.southbound.StateTracker;
import io.gemba.edge.southbound.mqtt.MqttFedReader;
import io.gemba.edge.southbound.mqtt.SouthboundConnections;
import io.gemba.model.asset.MachineState;
import io.gemba.model.config.Names;
import io.gemba.model.envelope.Counter;
import io.gemba.model.envelope.CounterReading;
import io.gemba.model.envelope.MachineRef;
import io.gemba.model.envelope.Quality;
import io.gemba.model.envelope.SignalValue;
import java.io.IOException;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.tahu.SparkplugInvalidTypeException;
import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.eclipse.tahu.model.MetricDataTypeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a machine from a Sparkplug B edge node as a host application does: learns metric names,
 * aliases and data types from the node's and devices' BIRTH messages, resolves aliases in DATA
 * messages, checks the node's sequence numbers (0–255, across all its messages) and asks the node
 * for a rebirth ({@code Node Control/Rebirth} on NCMD) after a gap or an unknown alias. A DEATH of
 * the node or of the machine's device makes the machine's state {@code unknown} until it is born
 * again. Values are dated with the metric's timestamp, else the payload's, else the arrival time.
 */
public final class SparkplugMachineReader extends MqttFedReader {

  private static final Logger log = LoggerFactory.getLogger(SparkplugMachineReader.class);
  private static final long REBIRTH_INTERVAL_MS = 5_000;

  private final SparkplugSource source;
  private final SparkplugBPayloadDecoder decoder = new SparkplugBPayloadDecoder();
  private final StateTracker states = new StateTracker();
  private final AtomicLong gaps = new AtomicLong();
  private final AtomicLong rebirths = new AtomicLong();
  private final Map<String, String> signalOfMetric = new HashMap<>();
  private MetricDataTypeMap types = new MetricDataTypeMap();
  private Map<Long, String> names = new HashMap<>();
  private Long expectedSeq;
  private long lastRebirthRequest;

  public SparkplugMachineReader(
      MachineRef machine,
      SparkplugSource source,
      ReadingSink sink,
      EdgeMetrics metrics,
      SouthboundConnections connections) {
    super(
        "sparkplug", machine, source.endpoint(), source.topicFilter(), sink, metrics, connections);
    this.source = source;
    source.signals().forEach(s -> signalOfMetric.put(s.metric(), s.name()));
    metrics.counter(
        "gemba.edge.sparkplug.sequence.gaps",
        "Sparkplug sequence numbers skipped by an edge node (each triggers a rebirth request)",
        gaps::get,
        "machine",
        machine.id());
    metrics.counter(
        "gemba.edge.sparkplug.rebirth.requests",
        "Rebirth requests sent to Sparkplug edge nodes",
        rebirths::get,
        "machine",
        machine.id());
  }

  @Override
  protected synchronized void handle(String topic, MqttMessage message) {
    long arrival = System.currentTimeMillis();
    String[] levels = topic.split("/");
    if (levels.length < 4 || levels.length > 5) {
      return;
    }
    String type = levels[2];
    String device = levels.length == 5 ? levels[4] : null;
    SparkplugBPayload payload;
    try {
      payload = decoder.buildFromByteArray(message.getPayload(), types);
    } catch (Exception e) {
      reject(topic, "not a Sparkplug B payload: " + e.getMessage());
      return;
    }
    if (!"NDEATH".equals(type) && !checkSequence(type, payload)) {
      requestRebirth("sequence gap");
    }
    boolean ours = Objects.equals(device, source.device());
    switch (type) {
      case "NBIRTH" -> {
        types = new MetricDataTypeMap();
        names = new HashMap<>();
        learn(payload, ours);
      }
      case "DBIRTH" -> learn(payload, ours);
      case "NDATA", "DDATA" -> {
        if (ours) {
          read(payload, arrival);
        }
      }
      case "NDEATH" -> dead(payload, arrival, "edge node died");
      case "DDEATH" -> {
        if (ours) {
          dead(payload, arrival, "device died");
        }
      }
      default -> {
        // NCMD, DCMD and STATE are for the node, not from it.
      }
    }
  }

  /** True when the payload's sequence number is the expected one; NBIRTH restarts the count. */
  private boolean checkSequence(String type, SparkplugBPayload payload) {
    if (!type.endsWith("BIRTH") && !type.endsWith("DATA") && !"DDEATH".equals(type)) {
      return true;
    }
    Long seq = payload.getSeq();
    if (seq == null) {
      return true;
    }
    if ("NBIRTH".equals(type) || expectedSeq == null) {
      expectedSeq = (seq + 1) % 256;
      return true;
    }
    boolean inOrder = seq.longValue() == expectedSeq;
    if (!inOrder) {
      gaps.incrementAndGet();
      log.warn(
          "sparkplug sequence gap machine={} edgeNode={} expected={} got={}",
          machine.id(),
          source.edgeNode(),
          expectedSeq,
          seq);
    }
    expectedSeq = (seq + 1) % 256;
    return inOrder;
  }

  private void learn(SparkplugBPayload payload, boolean ours) {
    for (Metric metric : payload.getMetrics()) {
      if (metric == null || metric.getName() == null) {
        continue;
      }
      if (metric.getDataType() != null) {
        types.addMetricDataType(metric.getName(), metric.getDataType());
      }
      if (metric.getAlias() != null) {
        names.put(metric.getAlias(), metric.getName());
        if (metric.getDataType() != null) {
          types.addMetricDataType(metric.getAlias(), metric.getDataType());
        }
      }
    }
    if (ours) {
      // A birth carries every metric's current value.
      read(payload, System.currentTimeMillis());
    }
  }

  private void read(SparkplugBPayload payload, long arrival) {
    valueArrived(arrival);
    long payloadTs = payload.getTimestamp() == null ? arrival : payload.getTimestamp().getTime();
    for (Metric metric : payload.getMetrics()) {
      if (metric == null) {
        metrics.southboundRejected();
        requestRebirth("metric of unknown data type");
        continue;
      }
      String name = metric.getName();
      if (name == null && metric.getAlias() != null) {
        name = names.get(metric.getAlias());
      }
      if (name == null) {
        requestRebirth("unknown alias " + metric.getAlias());
        continue;
      }
      long ts = metric.getTimestamp() == null ? payloadTs : metric.getTimestamp().getTime();
      try {
        dispatch(name, metric, ts);
      } catch (RuntimeException e) {
        // A value no envelope may carry (NaN, a time out of range, a reason too long): this
        // metric is skipped, the others of the payload are read.
        metrics.southboundRejected();
        log.warn(
            "sparkplug metric rejected machine={} metric={} reason={}",
            machine.id(),
            Names.shown(name),
            Names.shown(e.getMessage(), 200));
      }
    }
  }

  private void dispatch(String name, Metric metric, long ts) {
    boolean isNull = Boolean.TRUE.equals(metric.getIsNull()) || metric.getValue() == null;
    String signal = signalOfMetric.get(name);
    if (signal != null) {
      Double v = isNull ? null : number(metric.getValue());
      if (v == null && !isNull) {
        metrics.southboundRejected();
        log.warn(
            "sparkplug metric is not a number machine={} metric={} type={}",
            machine.id(),
            name,
            metric.getDataType());
        return;
      }
      sink.signal(
          machine,
          new SignalValue(
              signal, ts, v == null ? Double.NaN : v, v == null ? Quality.BAD : Quality.GOOD));
    }
    if (source.state() != null && name.equals(source.state().metric())) {
      MachineState state =
          isNull ? MachineState.UNKNOWN : source.state().stateOf(text(metric.getValue()));
      sink.state(machine, states.state(ts, state, isNull ? Quality.BAD : Quality.GOOD));
    }
    if (source.state() != null && name.equals(source.state().reason())) {
      states
          .reason(ts, isNull ? null : text(metric.getValue()))
          .ifPresent(change -> sink.state(machine, change));
    }
    if (source.counters() != null && !isNull) {
      if (name.equals(source.counters().total())) {
        counter(Counter.TOTAL, metric, ts);
      } else if (name.equals(source.counters().quality())) {
        counter(source.counters().qualityCounter(), metric, ts);
      }
    }
  }

  private void counter(Counter counter, Metric metric, long ts) {
    Double v = number(metric.getValue());
    if (v == null || v < 0 || v != Math.rint(v)) {
      metrics.southboundRejected();
      log.warn(
          "sparkplug counter is not a count machine={} counter={} value={}",
          machine.id(),
          counter,
          metric.getValue());
      return;
    }
    long value = v.longValue();
    Long rollover = source.counters().rollover();
    if (rollover == null) {
      rollover = modulusOf(metric.getDataType());
    }
    sink.counter(
        machine,
        new CounterReading(
            counter,
            ts,
            value,
            Quality.GOOD,
            rollover != null && rollover > value ? rollover : null));
  }

  /** The wrap-around of a counter from its data type, none for 64-bit. */
  private static Long modulusOf(MetricDataType type) {
    if (type == MetricDataType.UInt8 || type == MetricDataType.Int8) {
      return 256L;
    }
    if (type == MetricDataType.UInt16 || type == MetricDataType.Int16) {
      return 65_536L;
    }
    if (type == MetricDataType.UInt32 || type == MetricDataType.Int32) {
      return 4_294_967_296L;
    }
    return null;
  }

  private void dead(SparkplugBPayload payload, long arrival, String why) {
    long ts = payload.getTimestamp() == null ? arrival : payload.getTimestamp().getTime();
    log.warn("sparkplug machine offline machine={} reason={}", machine.id(), why);
    sink.state(machine, states.state(ts, MachineState.UNKNOWN, Quality.BAD));
  }

  private void requestRebirth(String reason) {
    long now = System.currentTimeMillis();
    if (now - lastRebirthRequest < REBIRTH_INTERVAL_MS) {
      return;
    }
    lastRebirthRequest = now;
    try {
      SparkplugBPayload command =
          new SparkplugBPayload.SparkplugBPayloadBuilder()
              .setTimestamp(new Date(now))
              .addMetric(
                  new Metric.MetricBuilder("Node Control/Rebirth", MetricDataType.Boolean, true)
                      .createMetric())
              .createPayload();
      publish(
          "spBv1.0/" + source.groupId() + "/NCMD/" + source.edgeNode(),
          new SparkplugBPayloadEncoder().getBytes(command, false));
      rebirths.incrementAndGet();
      log.info(
          "sparkplug rebirth requested machine={} edgeNode={} reason={}",
          machine.id(),
          source.edgeNode(),
          reason);
    } catch (MqttException | IOException | RuntimeException e) {
      log.warn(
          "sparkplug rebirth request failed machine={} reason={}", machine.id(), e.getMessage());
    } catch (SparkplugInvalidTypeException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Double number(Object value) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    if (value instanceof Boolean b) {
      return b ? 1.0 : 0.0;
    }
    return null;
  }

  private static String text(Object value) {
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (d == Math.rint(d)) {
        return Long.toString((long) d);
      }
    }
    return String.valueOf(value);
  }
}
