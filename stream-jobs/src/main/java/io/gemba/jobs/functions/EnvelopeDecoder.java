package io.gemba.jobs.functions;

import io.gemba.jobs.KpiJob;
import io.gemba.jobs.anomaly.Anomaly;
import io.gemba.jobs.anomaly.MachineMonitor;
import io.gemba.jobs.mqtt.MqttRecord;
import io.gemba.jobs.records.EnvelopeSeen;
import io.gemba.jobs.records.Reading;
import io.gemba.jobs.records.RejectedMessage;
import io.gemba.model.asset.Factory;
import io.gemba.model.asset.MachinePlacement;
import io.gemba.model.config.Names;
import io.gemba.model.envelope.CounterReading;
import io.gemba.model.envelope.Envelope;
import io.gemba.model.envelope.EnvelopeCodec;
import io.gemba.model.envelope.EnvelopeFormatException;
import io.gemba.model.envelope.MachineRef;
import io.gemba.model.envelope.SignalValue;
import io.gemba.model.envelope.StateChange;
import io.gemba.model.envelope.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes telemetry envelopes into readings, and refuses what its sender may not say. Refused
 * whole: a message that is not a valid envelope, whose topic and envelope disagree, whose machine
 * is not in the park or sits in another factory or line than the envelope says, or whose gateway
 * does not serve the machine's factory (the park file's {@code gateways}). Refused per reading: a
 * source timestamp more than {@code maxAhead} ahead of the job's clock or more than {@code
 * maxBehind} behind it, so that no clock moves event time for the other machines; the machine's
 * clock is then reported as an anomaly. Every refusal is counted (metrics {@code rejectedMessages},
 * per machine {@code refusedReadings}), logged with its reason and sent to the rejected side
 * output, which stores it as a dead letter. The job goes on either way: nothing a message holds can
 * make this function throw.
 *
 * <p>Readings take factory and line from the park file, never from the message.
 */
public final class EnvelopeDecoder extends ProcessFunction<MqttRecord, Reading> {

  public static final OutputTag<RejectedMessage> REJECTED =
      new OutputTag<>("rejected", TypeInformation.of(RejectedMessage.class));

  /** A machine whose source timestamps are far from its gateway's or the job's clock. */
  public static final OutputTag<Anomaly> CLOCK =
      new OutputTag<>("clock", TypeInformation.of(Anomaly.class));

  /** How far a reading's timestamp may be from its envelope's sending time, by default. */
  public static final Duration CLOCK_TOLERANCE = Duration.ofSeconds(30);

  /** How far ahead of the job's clock a source timestamp may be, by default. */
  public static final Duration MAX_AHEAD = Duration.ofMinutes(1);

  /** How far behind the job's clock a source timestamp may be, by default. */
  public static final Duration MAX_BEHIND = Duration.ofDays(7);

  /** At most one clock report per machine and this interval (job clock), per decoder. */
  static final long CLOCK_REPORT_EVERY_MS = 60_000;

  /** One element per envelope of a gateway that may send it: gateway, session, number, time. */
  public static final OutputTag<EnvelopeSeen> ENVELOPES =
      new OutputTag<>("envelopes", TypeInformation.of(EnvelopeSeen.class));

  private static final Logger log = LoggerFactory.getLogger(EnvelopeDecoder.class);

  private final ParkSpec park;
  private final long clockToleranceMs;
  private final long maxAheadMs;
  private final long maxBehindMs;
  private transient EnvelopeCodec codec;
  private transient Map<String, MachinePlacement> machines;
  private transient Map<String, Set<String>> gatewaysOf;
  private transient Map<String, Counter> refusedReadingsOf;
  private transient Counter rejected;
  private transient Counter decoded;
  private transient long ordinal;
  private transient Map<String, Long> lastClockReport;

  public EnvelopeDecoder(ParkSpec park) {
    this(park, KpiJob.Timing.DEFAULTS);
  }

  /** A decoder with the job's clock tolerance and source-time bounds. */
  public EnvelopeDecoder(ParkSpec park, KpiJob.Timing timing) {
    this.park = park;
    this.clockToleranceMs = timing.clockTolerance().toMillis();
    this.maxAheadMs = timing.maxAhead().toMillis();
    this.maxBehindMs = timing.maxBehind().toMillis();
  }

  @Override
  public void open(OpenContext context) {
    codec = new EnvelopeCodec();
    lastClockReport = new HashMap<>();
    machines = new HashMap<>();
    gatewaysOf = new HashMap<>();
    refusedReadingsOf = new HashMap<>();
    MetricGroup metrics = getRuntimeContext().getMetricGroup();
    for (Factory f : park.park().factories()) {
      gatewaysOf.put(f.id(), Set.copyOf(f.gateways()));
    }
    for (MachinePlacement p : park.park().placements()) {
      machines.put(p.machine().id(), p);
      refusedReadingsOf.put(
          p.machine().id(),
          metrics.addGroup("machine", p.machine().id()).counter("refusedReadings"));
    }
    rejected = metrics.counter("rejectedMessages");
    decoded = metrics.counter("decodedEnvelopes");
  }

  @Override
  public void processElement(MqttRecord record, Context ctx, Collector<Reading> out) {
    try {
      decode(record, ctx, out);
    } catch (RuntimeException e) {
      // A bug must not turn one message into a restart loop: the broker would deliver it again.
      log.error("envelope could not be processed topic={}", Names.shown(record.topic(), 300), e);
      reject(record, null, 0, "could not be processed: " + e.getClass().getSimpleName(), ctx);
    }
  }

  private void decode(MqttRecord record, Context ctx, Collector<Reading> out) {
    Envelope envelope;
    try {
      envelope = codec.decode(record.payload());
    } catch (EnvelopeFormatException e) {
      reject(record, null, 0, e.getMessage(), ctx);
      return;
    }
    MachineRef m = envelope.machine();
    Optional<MachineRef> fromTopic = Topics.parseTelemetry(record.topic());
    // From a gateway that serves the topic's factory (which the broker lets it write): arrived,
    // even if refused below, so its number is no gap. Another gateway's numbers never get here.
    if (fromTopic.isPresent()
        && gatewaysOf
            .getOrDefault(fromTopic.get().factory(), Set.of())
            .contains(envelope.gateway())) {
      ctx.output(
          ENVELOPES,
          new EnvelopeSeen(
              envelope.gateway(),
              envelope.session() == null ? -1 : envelope.session(),
              envelope.seq(),
              envelope.sentAt()));
    }
    if (fromTopic.isEmpty() || !fromTopic.get().equals(m)) {
      reject(record, null, envelope.size(), "topic does not match envelope machine " + m, ctx);
      return;
    }
    MachinePlacement placement = machines.get(m.id());
    if (placement == null) {
      reject(
          record, null, envelope.size(), "machine '" + m.id() + "' is not in the park file", ctx);
      return;
    }
    String factory = placement.factory().id();
    String line = placement.line().id();
    if (!factory.equals(m.factory()) || !line.equals(m.line())) {
      reject(
          record,
          factory,
          envelope.size(),
          "machine '"
              + m.id()
              + "' is on line '"
              + line
              + "' of factory '"
              + factory
              + "' in the park file, not on '"
              + m.line()
              + "' of '"
              + m.factory()
              + "'",
          ctx);
      return;
    }
    if (!gatewaysOf.get(factory).contains(envelope.gateway())) {
      reject(
          record,
          factory,
          envelope.size(),
          "gateway '"
              + envelope.gateway()
              + "' does not serve factory '"
              + factory
              + "' (the park file's factories[].gateways)",
          ctx);
      return;
    }
    decoded.inc();
    long now = ctx.timerService().currentProcessingTime();
    TimeBounds bounds = new TimeBounds(now - maxBehindMs, now + maxAheadMs);
    for (SignalValue v : envelope.values()) {
      if (bounds.admits(v.ts())) {
        out.collect(
            new Reading(
                factory,
                line,
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
    }
    for (StateChange s : envelope.states()) {
      if (bounds.admits(s.ts())) {
        out.collect(
            new Reading(
                factory,
                line,
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
    }
    for (CounterReading c : envelope.counters()) {
      if (!bounds.admits(c.ts())) {
        continue;
      }
      Reading.Kind kind =
          switch (c.counter()) {
            case TOTAL -> Reading.Kind.TOTAL;
            case GOOD -> Reading.Kind.GOOD;
            case REJECT -> Reading.Kind.REJECT;
          };
      out.collect(
          new Reading(
              factory,
              line,
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
    if (bounds.refused > 0) {
      refuseOutOfBounds(record, placement, bounds, now, ctx);
    }
    checkClock(envelope, placement, now, ctx);
  }

  /** Which source timestamps the job accepts now, and what it refused of one envelope. */
  private static final class TimeBounds {
    final long earliest;
    final long latest;
    int refused;
    long worst;

    TimeBounds(long earliest, long latest) {
      this.earliest = earliest;
      this.latest = latest;
    }

    boolean admits(long ts) {
      if (ts >= earliest && ts <= latest) {
        return true;
      }
      if (refused++ == 0 || Math.abs(offset(ts)) > Math.abs(offset(worst))) {
        worst = ts;
      }
      return false;
    }

    /** How far {@code ts} is outside the bounds: positive ahead, negative behind. */
    long offset(long ts) {
      return ts > latest ? ts - latest : ts - earliest;
    }
  }

  private void refuseOutOfBounds(
      MqttRecord record, MachinePlacement placement, TimeBounds bounds, long now, Context ctx) {
    String machine = placement.machine().id();
    refusedReadingsOf.get(machine).inc(bounds.refused);
    boolean ahead = bounds.worst > now;
    String reason =
        bounds.refused
            + " readings refused: source time "
            + Instant.ofEpochMilli(bounds.worst)
            + " is "
            + (ahead
                ? "more than " + Duration.ofMillis(maxAheadMs) + " ahead of"
                : "more than " + Duration.ofMillis(maxBehindMs) + " behind")
            + " the job's clock "
            + Instant.ofEpochMilli(now);
    reject(record, placement.factory().id(), bounds.refused, reason, ctx);
    double seconds = (bounds.worst - now) / 1000.0;
    reportClock(
        placement,
        now,
        Math.abs(seconds),
        String.format(
            Locale.ROOT,
            "The machine's timestamps are %.0f s %s the job's clock and were refused: its clock"
                + " may be off.",
            Math.abs(seconds),
            ahead ? "ahead of" : "behind"),
        ctx);
  }

  /**
   * Compares the readings' source timestamps with the gateway's sending time: the agent builds an
   * envelope as it collects the readings (also when it sends it later from its buffer), so a
   * reading much older or newer than its envelope comes from a machine whose clock is off.
   */
  private void checkClock(Envelope envelope, MachinePlacement placement, long now, Context ctx) {
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
    double seconds = worst / 1000.0;
    reportClock(
        placement,
        now,
        Math.abs(seconds),
        String.format(
            Locale.ROOT,
            "The machine's timestamps are %.0f s %s its gateway's clock: its clock may be off.",
            Math.abs(seconds),
            seconds < 0 ? "behind" : "ahead of"),
        ctx);
  }

  /** One clock anomaly per machine and minute at most, dated by the job's clock. */
  private void reportClock(
      MachinePlacement placement, long now, double score, String message, Context ctx) {
    String machine = placement.machine().id();
    Long last = lastClockReport.get(machine);
    if (last != null && now - last < CLOCK_REPORT_EVERY_MS) {
      return;
    }
    lastClockReport.put(machine, now);
    ctx.output(
        CLOCK,
        new Anomaly(
            placement.factory().id(),
            placement.line().id(),
            machine,
            MachineMonitor.CLOCK_SIGNAL,
            Anomaly.CLOCK,
            score,
            now,
            now + 1,
            message));
  }

  private static long farther(long a, long b) {
    return Math.abs(b) > Math.abs(a) ? b : a;
  }

  private void reject(MqttRecord record, String factory, int readings, String reason, Context ctx) {
    rejected.inc();
    String topic = Names.shown(record.topic(), 300);
    log.warn(
        "rejected message topic={} bytes={} reason={}",
        topic,
        record.payload().length,
        Names.shown(reason, RejectedMessage.MAX_REASON));
    ctx.output(
        REJECTED,
        new RejectedMessage(
            topic,
            factory,
            record.receivedAt(),
            ordinal++,
            record.payload().length,
            readings,
            reason));
  }
}
