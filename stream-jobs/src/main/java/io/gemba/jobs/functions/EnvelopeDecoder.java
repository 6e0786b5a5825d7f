package io.gemba.jobs.functions;

import io.gemba.jobs.anomaly.Anomaly;
import io.gemba.jobs.anomaly.MachineMonitor;
import io.gemba.jobs.mqtt.MqttRecord;
import io.gemba.jobs.records.EnvelopeSeen;
import io.gemba.jobs.records.Reading;
import io.gemba.jobs.records.RejectedMessage;
import io.gemba.model.envelope.CounterReading;
import io.gemba.model.envelope.Envelope;
import io.gemba.model.envelope.EnvelopeCodec;
import io.gemba.model.envelope.EnvelopeFormatException;
import io.gemba.model.envelope.MachineRef;
import io.gemba.model.envelope.SignalValue;
import io.gemba.model.envelope.StateChange;
import io.gemba.model.envelope.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes telemetry envelopes into readings. A message that is not a valid envelope, whose topic
 * and envelope disagree, or whose machine is not in the park is rejected: counted, logged with its
 * reason and sent to the rejected side output. The job goes on either way.
 */
public final class EnvelopeDecoder extends ProcessFunction<MqttRecord, Reading> {

  public static final OutputTag<RejectedMessage> REJECTED =
      new OutputTag<>("rejected", TypeInformation.of(RejectedMessage.class));

  /** A machine whose source timestamps are far from its gateway's clock. */
  public static final OutputTag<Anomaly> CLOCK =
      new OutputTag<>("clock", TypeInformation.of(Anomaly.class));

  /** How far a reading's timestamp may be from its envelope's sending time, by default. */
  public static final Duration CLOCK_TOLERANCE = Duration.ofSeconds(30);

  /** At most one clock report per machine and this interval, per decoder. */
  static final long CLOCK_REPORT_EVERY_MS = 60_000;

  /** One element per decoded envelope: its gateway, sequence number and sending time. */
  public static final OutputTag<EnvelopeSeen> ENVELOPES =
      new OutputTag<>("envelopes", TypeInformation.of(EnvelopeSeen.class));

  private static final Logger log = LoggerFactory.getLogger(EnvelopeDecoder.class);

  private final ParkSpec park;
  private final long clockToleranceMs;
  private transient EnvelopeCodec codec;
  private transient Set<String> machines;
  private transient Counter rejected;
  private transient Counter decoded;
  private transient long ordinal;
  private transient Map<String, Long> lastClockReport;

  public EnvelopeDecoder(ParkSpec park) {
    this(park, CLOCK_TOLERANCE);
  }

  /**
   * @param clockTolerance how far a reading's source timestamp may be from its envelope's sending
   *     time before the machine's clock is reported as off
   */
  public EnvelopeDecoder(ParkSpec park, Duration clockTolerance) {
    this.park = park;
    this.clockToleranceMs = clockTolerance.toMillis();
  }

  @Override
  public void open(OpenContext context) {
    codec = new EnvelopeCodec();
    lastClockReport = new HashMap<>();
    machines =
        park.park().placements().stream().map(p -> p.machine().id()).collect(Collectors.toSet());
    rejected = getRuntimeContext().getMetricGroup().counter("rejectedMessages");
    decoded = getRuntimeContext().getMetricGroup().counter("decodedEnvelopes");
  }

  @Override
  public void processElement(MqttRecord record, Context ctx, Collector<Reading> out) {
    Envelope envelope;
    try {
      envelope = codec.decode(record.payload());
    } catch (EnvelopeFormatException e) {
      reject(record, e.getMessage(), ctx);
      return;
    }
    // Arrived, even if unusable below: its number is no gap.
    ctx.output(ENVELOPES, new EnvelopeSeen(envelope.gateway(), envelope.seq(), envelope.sentAt()));
    Optional<MachineRef> fromTopic = Topics.parseTelemetry(record.topic());
    if (fromTopic.isEmpty() || !fromTopic.get().equals(envelope.machine())) {
      reject(record, "topic does not match envelope machine " + envelope.machine(), ctx);
      return;
    }
    MachineRef m = envelope.machine();
    if (!machines.contains(m.id())) {
      reject(record, "machine '" + m.id() + "' is not in the park file", ctx);
      return;
    }
    decoded.inc();
    checkClock(envelope, ctx);
    for (SignalValue v : envelope.values()) {
      out.collect(
          new Reading(
              m.factory(),
              m.line(),
              m.id(),
              v.ts(),
              Reading.Kind.SIGNAL,
              v.signal(),
              v.value(),
              null,
              0,
              0,
              v.quality(),
              null));
    }
    for (StateChange s : envelope.states()) {
      out.collect(
          new Reading(
              m.factory(),
              m.line(),
              m.id(),
              s.ts(),
              Reading.Kind.STATE,
              null,
              Double.NaN,
              s.effectiveState(),
              0,
              0,
              s.quality(),
              s.reason()));
    }
    for (CounterReading c : envelope.counters()) {
      Reading.Kind kind =
          switch (c.counter()) {
            case TOTAL -> Reading.Kind.TOTAL;
            case GOOD -> Reading.Kind.GOOD;
            case REJECT -> Reading.Kind.REJECT;
          };
      out.collect(
          new Reading(
              m.factory(),
              m.line(),
              m.id(),
              c.ts(),
              kind,
              null,
              Double.NaN,
              null,
              c.value(),
              c.rollover() == null ? 0 : c.rollover(),
              c.quality(),
              null));
    }
  }

  /**
   * Compares the readings' source timestamps with the gateway's sending time: the agent builds an
   * envelope as it collects the readings (also when it sends it later from its buffer), so a
   * reading much older or newer than its envelope comes from a machine whose clock is off.
   */
  private void checkClock(Envelope envelope, Context ctx) {
    long worst = 0;
    for (SignalValue v : envelope.values()) {
      worst = farther(worst, v.ts() - envelope.sentAt());
    }
    for (StateChange c : envelope.states()) {
      worst = farther(worst, c.ts() - envelope.sentAt());
    }
    if (Math.abs(worst) <= clockToleranceMs) {
      return;
    }
    MachineRef m = envelope.machine();
    Long last = lastClockReport.get(m.id());
    if (last != null && envelope.sentAt() - last < CLOCK_REPORT_EVERY_MS) {
      return;
    }
    lastClockReport.put(m.id(), envelope.sentAt());
    double seconds = worst / 1000.0;
    ctx.output(
        CLOCK,
        new Anomaly(
            m.factory(),
            m.line(),
            m.id(),
            MachineMonitor.CLOCK_SIGNAL,
            Anomaly.CLOCK,
            Math.abs(seconds),
            envelope.sentAt(),
            envelope.sentAt() + 1,
            String.format(
                Locale.ROOT,
                "The machine's timestamps are %.0f s %s its gateway's clock: its clock may be off.",
                Math.abs(seconds),
                seconds < 0 ? "behind" : "ahead of")));
  }

  private static long farther(long a, long b) {
    return Math.abs(b) > Math.abs(a) ? b : a;
  }

  private void reject(MqttRecord record, String reason, Context ctx) {
    rejected.inc();
    log.warn(
        "rejected message topic={} bytes={} reason={}",
        record.topic(),
        record.payload().length,
        reason);
    ctx.output(
        REJECTED,
        new RejectedMessage(
            record.topic(), record.receivedAt(), ordinal++, record.payload().length, reason));
  }
}
