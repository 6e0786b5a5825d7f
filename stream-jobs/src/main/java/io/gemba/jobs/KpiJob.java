package io.gemba.jobs;

import io.gemba.connect.BrokerEndpoint;
import io.gemba.connect.InfluxEndpoint;
import io.gemba.jobs.anomaly.Anomaly;
import io.gemba.jobs.anomaly.AnomalyFunction;
import io.gemba.jobs.functions.EnvelopeDecoder;
import io.gemba.jobs.functions.GapDetector;
import io.gemba.jobs.functions.MachineOeeFunction;
import io.gemba.jobs.functions.ParkSpec;
import io.gemba.jobs.functions.RollupFunction;
import io.gemba.jobs.functions.ShiftToDateFunction;
import io.gemba.jobs.functions.SignalGate;
import io.gemba.jobs.influx.InfluxPoints;
import io.gemba.jobs.influx.InfluxSink;
import io.gemba.jobs.live.LiveMessages;
import io.gemba.jobs.live.MqttLiveSink;
import io.gemba.jobs.mqtt.MqttRecord;
import io.gemba.jobs.records.EnvelopeSeen;
import io.gemba.jobs.records.Gap;
import io.gemba.jobs.records.OeeMinute;
import io.gemba.jobs.records.Reading;
import io.gemba.jobs.records.RejectedMessage;
import io.gemba.jobs.records.RollupMinute;
import io.gemba.jobs.records.ShiftToDate;
import io.gemba.jobs.records.StopReasonMinute;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

/**
 * The factory KPI job: telemetry envelopes in; OEE per machine and minute with its losses and stop
 * reasons, its rollups to line, factory and park, shift-to-date OEE, anomalies in signals, and
 * sequence gaps out, in event time. Source and sinks are given to the constructor, so tests run the
 * same pipeline with their own I/O; {@link KpiJobCommand} wires MQTT and InfluxDB.
 */
public final class KpiJob {

  /**
   * Where the job's results go: the record (InfluxDB), and the live topics of the plant broker.
   *
   * @param live where the latest KPIs and anomalies are published as they happen; null for none
   */
  public record Sinks(
      Sink<OeeMinute> oee,
      Sink<Reading> telemetry,
      Sink<Reading> states,
      Sink<RejectedMessage> rejected,
      Sink<Gap> gaps,
      Sink<RollupMinute> rollups,
      Sink<Anomaly> anomalies,
      Sink<StopReasonMinute> stopReasons,
      Sink<ShiftToDate> shifts,
      LiveSinks live) {

    /** All results to one InfluxDB database, in the schema of {@link InfluxPoints}. */
    public static Sinks influx(InfluxEndpoint influx, String database) {
      return new Sinks(
          new InfluxSink<>(influx, database, InfluxPoints::oee),
          new InfluxSink<>(influx, database, InfluxPoints::telemetry),
          new InfluxSink<>(influx, database, InfluxPoints::machineState),
          new InfluxSink<>(influx, database, InfluxPoints::rejected),
          new InfluxSink<>(influx, database, InfluxPoints::gap),
          new InfluxSink<>(influx, database, InfluxPoints::rollup),
          new InfluxSink<>(influx, database, InfluxPoints::anomaly),
          new InfluxSink<>(influx, database, InfluxPoints::stopReason),
          new InfluxSink<>(influx, database, InfluxPoints::shift),
          null);
    }

    /** Every result discarded: for benchmarks of the job itself. */
    public static Sinks discarding() {
      return new Sinks(
          new DiscardingSink<>(),
          new DiscardingSink<>(),
          new DiscardingSink<>(),
          new DiscardingSink<>(),
          new DiscardingSink<>(),
          new DiscardingSink<>(),
          new DiscardingSink<>(),
          new DiscardingSink<>(),
          new DiscardingSink<>(),
          null);
    }

    /** These sinks, and the live topics of {@code broker} too. */
    public Sinks withLive(BrokerEndpoint broker) {
      return new Sinks(
          oee,
          telemetry,
          states,
          rejected,
          gaps,
          rollups,
          anomalies,
          stopReasons,
          shifts,
          new LiveSinks(
              new MqttLiveSink<>(broker, "gemba-kpi-live-oee", LiveMessages::machineOee),
              new MqttLiveSink<>(broker, "gemba-kpi-live-rollup", LiveMessages::rollupOee),
              new MqttLiveSink<>(broker, "gemba-kpi-live-anomaly", LiveMessages::anomaly),
              new MqttLiveSink<>(broker, "gemba-kpi-live-shift", LiveMessages::shiftOee)));
    }
  }

  /** The live topics: machine minutes, rollups, anomalies, shift-to-date. */
  public record LiveSinks(
      Sink<OeeMinute> oee,
      Sink<RollupMinute> rollups,
      Sink<Anomaly> anomalies,
      Sink<ShiftToDate> shifts) {}

  /** How long a parallel instance may receive nothing before event time moves on without it. */
  public static final Duration IDLE_AFTER = Duration.ofSeconds(30);

  /** How long a missing envelope may take to arrive before it counts as lost, by default. */
  public static final Duration GAP_GRACE = Duration.ofMinutes(1);

  private final Source<MqttRecord, ?, ?> source;
  private final Sinks sinks;
  private final ParkSpec park;
  private final Timing timing;

  /**
   * How the job treats time.
   *
   * @param outOfOrderness how far behind the newest source timestamp a reading may arrive and still
   *     count for its minute before the minute closes
   * @param allowedLateness how long after its minute closed a reading still corrects it (the minute
   *     and those after it are computed and stored again); later ones are counted and dropped
   * @param gapGrace how long a missing envelope may take to arrive before the gap is reported
   * @param clockTolerance how far machines' source timestamps may be from their gateways' clocks
   *     before the machine's clock is reported as off
   * @param maxAhead how far ahead of the job's clock a source timestamp may be; later ones are
   *     refused, so that no clock can move event time for the others
   * @param maxBehind how far behind the job's clock a source timestamp may be; older ones are
   *     refused
   * @param signalSilence after how long without a reading a signal's state (admission, anomaly
   *     baseline) is forgotten
   */
  public record Timing(
      Duration outOfOrderness,
      Duration allowedLateness,
      Duration gapGrace,
      Duration clockTolerance,
      Duration maxAhead,
      Duration maxBehind,
      Duration signalSilence) {

    /**
     * The defaults: 5 s out of order, an hour late, a minute for missing envelopes, clocks 30 s,
     * source times from 7 days behind to 1 minute ahead of the job's clock, signals forgotten after
     * a day of silence.
     */
    public static final Timing DEFAULTS =
        new Timing(
            Duration.ofSeconds(5),
            MachineOeeFunction.ALLOWED_LATENESS,
            GAP_GRACE,
            EnvelopeDecoder.CLOCK_TOLERANCE,
            EnvelopeDecoder.MAX_AHEAD,
            EnvelopeDecoder.MAX_BEHIND,
            SignalGate.SILENCE);

    public Timing withOutOfOrderness(Duration value) {
      return new Timing(
          value, allowedLateness, gapGrace, clockTolerance, maxAhead, maxBehind, signalSilence);
    }

    public Timing withClockTolerance(Duration value) {
      return new Timing(
          outOfOrderness, allowedLateness, gapGrace, value, maxAhead, maxBehind, signalSilence);
    }

    /**
     * These timings with other bounds on source time; wide bounds replay recorded history (tests,
     * benchmarks, a backfill of old data) at the price of the protection they give.
     */
    public Timing withSourceTimeBounds(Duration ahead, Duration behind) {
      return new Timing(
          outOfOrderness, allowedLateness, gapGrace, clockTolerance, ahead, behind, signalSilence);
    }

    public Timing withGapGrace(Duration value) {
      return new Timing(
          outOfOrderness,
          allowedLateness,
          value,
          clockTolerance,
          maxAhead,
          maxBehind,
          signalSilence);
    }
  }

  /** The job with the default timing but for {@code outOfOrderness}. */
  public KpiJob(
      Source<MqttRecord, ?, ?> source, Sinks sinks, ParkSpec park, Duration outOfOrderness) {
    this(source, sinks, park, Timing.DEFAULTS.withOutOfOrderness(outOfOrderness));
  }

  public KpiJob(Source<MqttRecord, ?, ?> source, Sinks sinks, ParkSpec park, Timing timing) {
    this.source = source;
    this.sinks = sinks;
    this.park = park;
    this.timing = timing;
  }

  /** Adds the pipeline to {@code env}. */
  public void build(StreamExecutionEnvironment env) {
    build(
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "mqtt-telemetry")
            .uid("mqtt-telemetry"));
  }

  /** Adds the pipeline after {@code records}, for harnesses that bring their own messages. */
  public void build(DataStream<MqttRecord> records) {
    SingleOutputStreamOperator<Reading> readings =
        records
            .process(new EnvelopeDecoder(park, timing))
            .uid("decode-envelopes")
            .name("decode-envelopes");
    readings
        .getSideOutput(EnvelopeDecoder.ENVELOPES)
        .keyBy(EnvelopeSeen::gateway)
        .process(new GapDetector(timing.gapGrace()))
        // Sessions since envelope version 2: a new uid, so that a savepoint of the state of
        // the detector without them is not restored into it.
        .uid("sequence-gaps-per-session")
        .name("sequence-gaps")
        .sinkTo(sinks.gaps())
        .name("gaps-sink");

    // Every reading advances event time, signal values included: they are a machine's heartbeat.
    // A parallel instance that receives nothing for a while (fewer gateways than readers) is
    // marked idle, so that it does not hold event time back for the others.
    DataStream<Reading> timed =
        readings.assignTimestampsAndWatermarks(
            WatermarkStrategy.<Reading>forBoundedOutOfOrderness(timing.outOfOrderness())
                .withTimestampAssigner((r, previous) -> r.ts())
                .withIdleness(IDLE_AFTER));

    // Signals and states pass the machine's signal gate (at most the park's signals per machine),
    // which is keyed by machine like the anomaly detection after it: one shuffle for both.
    SingleOutputStreamOperator<Reading> admitted =
        timed
            .filter(r -> r.isSignal() || r.kind() == Reading.Kind.STATE)
            .name("anomaly-inputs")
            .keyBy(Reading::machine)
            .process(new SignalGate(park, timing.signalSilence()))
            .uid("signal-gate")
            .name("signal-gate");
    readings
        .getSideOutput(EnvelopeDecoder.REJECTED)
        .union(admitted.getSideOutput(SignalGate.REFUSED))
        .sinkTo(sinks.rejected())
        .name("rejected-sink");
    admitted
        .filter(Reading::isSignal)
        .name("signals")
        .sinkTo(sinks.telemetry())
        .name("telemetry-sink");
    timed
        .filter(r -> r.kind() == Reading.Kind.STATE)
        .name("state-changes")
        .sinkTo(sinks.states())
        .name("machine-state-sink");
    DataStream<Anomaly> anomalies =
        DataStreamUtils.reinterpretAsKeyedStream(admitted, Reading::machine)
            .process(new AnomalyFunction(park, timing.signalSilence()))
            // The monitors' state changes with their checks (v2: anomalies raised while they
            // last, oscillation; v3: the level and trend checks): a new uid, so that a
            // savepoint's older monitors are left behind (their baselines are learnt again)
            // rather than restored into a different layout.
            .uid("anomalies-per-machine-v3")
            .name("anomalies-per-machine")
            .union(readings.getSideOutput(EnvelopeDecoder.CLOCK));
    anomalies.sinkTo(sinks.anomalies()).name("anomalies-sink");
    DataStream<OeeMinute> minutes =
        timed
            .filter(r -> !r.isSignal())
            .name("oee-inputs")
            .keyBy(Reading::machine)
            .process(new MachineOeeFunction(park, timing.allowedLateness()))
            .uid("oee-per-machine-minute")
            .name("oee-per-machine-minute");
    minutes.sinkTo(sinks.oee()).name("oee-sink");
    String parkId = park.park().id();
    DataStream<RollupMinute> rollups =
        minutes
            .flatMap(
                (OeeMinute m, Collector<RollupFunction.Contribution> out) ->
                    RollupFunction.contributions(parkId, m).forEach(out::collect))
            .returns(RollupFunction.Contribution.class)
            .name("rollup-scopes")
            .keyBy(RollupFunction.Contribution::key)
            .process(new RollupFunction(park, timing.allowedLateness()))
            .uid("oee-rollups")
            .name("oee-rollups");
    rollups.sinkTo(sinks.rollups()).name("rollup-sink");
    minutes
        .flatMap(
            (OeeMinute m, Collector<StopReasonMinute> out) ->
                m.stopReasons()
                    .forEach(
                        (reason, ms) ->
                            out.collect(
                                new StopReasonMinute(
                                    m.factory(), m.line(), m.machine(), m.start(), reason, ms))))
        .returns(StopReasonMinute.class)
        .name("stop-reasons")
        .sinkTo(sinks.stopReasons())
        .name("stop-reasons-sink");
    DataStream<ShiftToDate> shifts =
        minutes
            .map(ShiftToDateFunction.Part::of)
            .name("machine-shift-parts")
            .union(
                rollups
                    .flatMap(
                        (RollupMinute r, Collector<ShiftToDateFunction.Part> out) ->
                            ShiftToDateFunction.Part.of(r).ifPresent(out::collect))
                    .returns(ShiftToDateFunction.Part.class)
                    .name("rollup-shift-parts"))
            .keyBy(ShiftToDateFunction.Part::key)
            .process(new ShiftToDateFunction(park, timing.allowedLateness()))
            .uid("oee-shift-to-date")
            .name("oee-shift-to-date");
    shifts.sinkTo(sinks.shifts()).name("shift-sink");
    if (sinks.live() != null) {
      minutes.sinkTo(sinks.live().oee()).name("live-oee");
      rollups.sinkTo(sinks.live().rollups()).name("live-rollups");
      anomalies.sinkTo(sinks.live().anomalies()).name("live-anomalies");
      shifts.sinkTo(sinks.live().shifts()).name("live-shifts");
    }
  }
}
