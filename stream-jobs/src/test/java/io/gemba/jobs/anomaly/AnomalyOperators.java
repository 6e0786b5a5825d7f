package io.gemba.jobs.anomaly;

import io.gemba.jobs.KpiJob;
import io.gemba.jobs.functions.EnvelopeDecoder;
import io.gemba.jobs.functions.ParkSpec;
import io.gemba.jobs.mqtt.MqttRecord;
import io.gemba.jobs.records.Reading;
import io.gemba.model.envelope.Envelope;
import io.gemba.model.envelope.EnvelopeCodec;
import io.gemba.model.envelope.MachineRef;
import io.gemba.model.envelope.SignalValue;
import io.gemba.model.envelope.StateChange;
import io.gemba.model.envelope.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;

/**
 * The KPI job's anomaly path for one machine, operator by operator as the job wires it: envelopes
 * (JSON, as a gateway publishes them) through the {@link EnvelopeDecoder}, whose clock check sees
 * the gateway's sending time and the job's clock, then the readings in event time through the keyed
 * {@link AnomalyFunction}, with the job's bounded out-of-orderness watermarks. What comes out is
 * stamped with the event time at which the operator emitted it: when the alarm was raised.
 */
final class AnomalyOperators implements AutoCloseable {

  /** One anomaly as a plant engineer sees it: when it was first raised, and what it last said. */
  record Detection(long raisedAt, Anomaly anomaly) {}

  static final String FACTORY = "eval-factory";
  static final String LINE = "eval-line";
  static final String GATEWAY = "gw-eval";

  private final MachineRef machine;
  private final long outOfOrdernessMs;
  private final EnvelopeCodec codec = new EnvelopeCodec();
  private final OneInputStreamOperatorTestHarness<MqttRecord, Reading> decoder;
  private final KeyedOneInputStreamOperatorTestHarness<String, Reading, Anomaly> anomalies;
  private final Map<String, Detection> found = new LinkedHashMap<>();
  private long seq;
  private long newestTs = Long.MIN_VALUE;

  /**
   * @param kind the machine's kind in the park file ({@code cnc}, {@code robot}, ...)
   * @param anomalyRules the park file's {@code anomalies} list as YAML, or empty
   */
  AnomalyOperators(String machineId, String kind, String anomalyRules) throws Exception {
    this.machine = new MachineRef(FACTORY, LINE, machineId);
    ParkSpec park =
        ParkSpec.of(
            Path.of("eval-park.yaml"),
            "id: eval\n"
                + "factories:\n"
                + "  - id: "
                + FACTORY
                + "\n    gateways: ["
                + GATEWAY
                + "]\n    timeZone: UTC\n    lines:\n      - id: "
                + LINE
                + "\n        machines:\n          - { id: "
                + machineId
                + ", kind: "
                + kind
                + ", idealCycleSeconds: 20 }\n"
                + anomalyRules);
    // The job's defaults, except that replayed history may lie far from this machine's clock.
    KpiJob.Timing timing =
        KpiJob.Timing.DEFAULTS.withSourceTimeBounds(Duration.ofDays(3_650), Duration.ofDays(3_650));
    this.outOfOrdernessMs = timing.outOfOrderness().toMillis();
    decoder =
        new OneInputStreamOperatorTestHarness<>(
            new ProcessOperator<>(new EnvelopeDecoder(park, timing)));
    decoder.open();
    anomalies =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new AnomalyFunction(park)), Reading::machine, Types.STRING);
    anomalies.open();
  }

  /**
   * Sends one envelope, built by the gateway at {@code sentAt} (its own, true clock) with readings
   * stamped by the machine's clock, and moves event time on as the job's watermark would.
   */
  void send(long sentAt, List<SignalValue> values, List<StateChange> states) throws Exception {
    if (values.isEmpty() && states.isEmpty()) {
      return;
    }
    Envelope envelope = new Envelope(GATEWAY, 1, seq++, sentAt, machine, values, states, List.of());
    decoder.setProcessingTime(sentAt);
    decoder.processElement(
        new StreamRecord<>(
            new MqttRecord(Topics.telemetry(machine), codec.encode(envelope), sentAt), sentAt));
    for (StreamRecord<Anomaly> clock : drain(decoder.getSideOutput(EnvelopeDecoder.CLOCK))) {
      // Dated by the job's clock, emitted as the envelope is decoded.
      record(sentAt, clock.getValue());
    }
    for (Object o : drain(decoder.getOutput())) {
      if (o instanceof StreamRecord<?> r && r.getValue() instanceof Reading reading) {
        anomalies.processElement(new StreamRecord<>(reading, reading.ts()));
        newestTs = Math.max(newestTs, reading.ts());
      }
    }
    anomalies.processWatermark(new Watermark(newestTs - outOfOrdernessMs - 1));
    collect();
  }

  /** Moves event time past everything sent, so that nothing waits for the watermark. */
  List<Detection> finish() throws Exception {
    anomalies.processWatermark(new Watermark(Long.MAX_VALUE));
    collect();
    return List.copyOf(found.values());
  }

  private void collect() {
    for (Object o : drain(anomalies.getOutput())) {
      if (o instanceof StreamRecord<?> r && r.getValue() instanceof Anomaly a) {
        record(r.getTimestamp(), a);
      }
    }
  }

  private void record(long at, Anomaly a) {
    String key = a.machine() + "/" + a.signal() + "/" + a.rule() + "@" + a.start();
    Detection first = found.get(key);
    found.put(key, new Detection(first == null ? at : first.raisedAt(), a));
  }

  private static <T> List<T> drain(java.util.Queue<T> queue) {
    List<T> out = new ArrayList<>();
    if (queue == null) {
      return out;
    }
    for (T t; (t = queue.poll()) != null; ) {
      out.add(t);
    }
    return out;
  }

  @Override
  public void close() throws Exception {
    decoder.close();
    anomalies.close();
  }
}
