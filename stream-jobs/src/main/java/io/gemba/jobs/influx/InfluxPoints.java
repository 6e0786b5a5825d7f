package io.gemba.jobs.influx;

import io.gemba.jobs.anomaly.Anomaly;
import io.gemba.jobs.records.Gap;
import io.gemba.jobs.records.OeeMinute;
import io.gemba.jobs.records.Reading;
import io.gemba.jobs.records.RejectedMessage;
import io.gemba.jobs.records.RollupMinute;
import io.gemba.jobs.records.ShiftToDate;
import io.gemba.jobs.records.StopReasonMinute;
import io.gemba.model.oee.MachineOee;
import io.gemba.model.oee.OeeFigures;
import io.gemba.model.oee.OeeTotals;
import io.gemba.model.oee.SixBigLosses;
import io.gemba.model.oee.StateTimes;
import java.util.concurrent.TimeUnit;
import org.influxdb.dto.Point;

/**
 * The storage schema: measurements {@code oee}, {@code oee_rollup}, {@code oee_shift}, {@code
 * stop_reasons}, {@code telemetry}, {@code machine_state}, {@code anomalies}, {@code
 * rejected_messages} and {@code gaps}, tagged by factory, line and machine (gaps by gateway), at
 * source timestamps in milliseconds. See docs/storage.md.
 */
public final class InfluxPoints {

  public static final String OEE = "oee";
  public static final String TELEMETRY = "telemetry";
  public static final String MACHINE_STATE = "machine_state";
  public static final String REJECTED = "rejected_messages";
  public static final String GAPS = "gaps";
  public static final String OEE_ROLLUP = "oee_rollup";
  public static final String ANOMALIES = "anomalies";
  public static final String STOP_REASONS = "stop_reasons";
  public static final String OEE_SHIFT = "oee_shift";

  private InfluxPoints() {}

  public static Point oee(OeeMinute m) {
    MachineOee oee = m.toMachineOee();
    OeeFigures f = oee.figures();
    Point.Builder b =
        Point.measurement(OEE)
            .time(m.start(), TimeUnit.MILLISECONDS)
            .tag("factory", m.factory())
            .tag("line", m.line())
            .tag("machine", m.machine())
            .tag("window", "1m")
            .addField("planned_ms", m.plannedMs())
            .addField("run_ms", m.runMs())
            .addField("known_planned_ms", m.knownPlannedMs())
            .addField("total_count", m.total())
            .addField("good_count", m.good())
            .addField("ideal_cycle_ms", m.idealCycleMs())
            .addField("startup_rejects", m.startupRejects());
    withTimesAndLosses(b, OeeTotals.of(oee));
    return withFigures(b, f, oee.coverage());
  }

  /**
   * A machine's stop time in one minute for one reason, at the minute's start. A reason that a
   * correction removed from the minute is written with 0 ms, so that sums stay right.
   */
  public static Point stopReason(StopReasonMinute r) {
    return Point.measurement(STOP_REASONS)
        .time(r.start(), TimeUnit.MILLISECONDS)
        .tag("factory", r.factory())
        .tag("line", r.line())
        .tag("machine", r.machine())
        .tag("reason", r.reason())
        .tag("window", "1m")
        .addField("ms", r.ms())
        .build();
  }

  /** The times of the states and the six big losses, in milliseconds. */
  private static void withTimesAndLosses(Point.Builder b, OeeTotals t) {
    StateTimes times = t.times();
    SixBigLosses l = t.losses();
    b.addField("producing_ms", times.producingMs())
        .addField("idle_ms", times.idleMs())
        .addField("down_ms", times.downMs())
        .addField("setup_ms", times.setupMs())
        .addField("planned_stop_ms", times.plannedStopMs())
        .addField("small_stop_ms", times.smallStopMs())
        .addField("loss_unplanned_stop_ms", l.unplannedStopMs())
        .addField("loss_planned_stop_ms", l.plannedStopMs())
        .addField("loss_small_stop_ms", l.smallStopMs())
        .addField("loss_slow_cycle_ms", l.slowCycleMs())
        .addField("loss_production_reject_ms", l.productionRejectMs())
        .addField("loss_startup_reject_ms", l.startupRejectMs());
  }

  /** A line's, factory's or the park's minute, with its sums and the figures computed from them. */
  public static Point rollup(RollupMinute r) {
    OeeTotals t = r.totals();
    Point.Builder b =
        Point.measurement(OEE_ROLLUP)
            .time(r.start(), TimeUnit.MILLISECONDS)
            .tag("scope", r.scope())
            .tag("id", r.id())
            .tag("factory", r.factory())
            .tag("window", "1m")
            .addField("machines", r.machines())
            .addField("reporting", r.reporting());
    return withSums(b, t);
  }

  /**
   * A machine's, line's or factory's OEE from the start of its shift, at the shift's start:
   * overwritten as the shift goes on, so one point per scope and shift remains.
   */
  public static Point shift(ShiftToDate s) {
    Point.Builder b =
        Point.measurement(OEE_SHIFT)
            .time(s.shiftStart(), TimeUnit.MILLISECONDS)
            .tag("scope", s.scope())
            .tag("id", s.id())
            .tag("factory", s.factory())
            .tag("line", s.line())
            .tag("shift", s.shift())
            .addField("shift_end_ms", s.shiftEnd())
            .addField("as_of_ms", s.asOf());
    return withSums(b, s.totals());
  }

  /**
   * Adds the sums a rollup or a longer window is computed from, the state times and losses, and the
   * figures.
   */
  private static Point withSums(Point.Builder b, OeeTotals t) {
    b.addField("planned_ms", t.plannedMs())
        .addField("run_ms", t.runMs())
        .addField("known_planned_ms", t.knownPlannedMs())
        .addField("total_count", t.totalCount())
        .addField("good_count", t.goodCount())
        .addField("net_run_ms", t.netRunMs())
        .addField("fully_productive_ms", t.fullyProductiveMs())
        .addField("startup_reject_ms", t.startupRejectMs());
    withTimesAndLosses(b, t);
    return withFigures(b, t.figures(), t.coverage());
  }

  /** Adds the figures and coverage; undefined ones are left out, never stored as 0. */
  private static Point withFigures(Point.Builder b, OeeFigures f, double coverage) {
    addIfDefined(b, "availability", f.availability());
    addIfDefined(b, "performance", f.performance());
    addIfDefined(b, "quality", f.quality());
    addIfDefined(b, "oee", f.oee());
    addIfDefined(b, "coverage", coverage);
    return b.build();
  }

  private static void addIfDefined(Point.Builder b, String field, double value) {
    if (OeeFigures.defined(value)) {
      b.addField(field, value);
    }
  }

  /** An anomaly, at its start; it is written when it ends. */
  public static Point anomaly(Anomaly a) {
    return Point.measurement(ANOMALIES)
        .time(a.start(), TimeUnit.MILLISECONDS)
        .tag("factory", a.factory())
        .tag("line", a.line())
        .tag("machine", a.machine())
        .tag("signal", a.signal())
        .tag("rule", a.rule())
        .addField("end_ms", a.end())
        .addField("duration_s", (a.end() - a.start()) / 1000.0)
        .addField("score", a.score())
        .addField("message", a.message())
        .build();
  }

  /** A sequence gap, at the sending time of the envelope that showed it. */
  public static Point gap(Gap g) {
    return Point.measurement(GAPS)
        .time(g.revealedAt(), TimeUnit.MILLISECONDS)
        .tag("gateway", g.gateway())
        .addField("session", g.session())
        .addField("from_seq", g.fromSeq())
        .addField("to_seq", g.toSeq())
        .addField("missing", g.missing())
        .build();
  }

  public static Point telemetry(Reading p) {
    Point.Builder b =
        Point.measurement(TELEMETRY)
            .time(p.ts(), TimeUnit.MILLISECONDS)
            .tag("factory", p.factory())
            .tag("line", p.line())
            .tag("machine", p.machine())
            .tag("signal", p.signal())
            .addField("quality", p.quality().wireName());
    if (Double.isFinite(p.value())) {
      b.addField("value", p.value());
    }
    return b.build();
  }

  public static Point machineState(Reading o) {
    Point.Builder b =
        Point.measurement(MACHINE_STATE)
            .time(o.ts(), TimeUnit.MILLISECONDS)
            .tag("factory", o.factory())
            .tag("line", o.line())
            .tag("machine", o.machine())
            .addField("state", o.state().wireName());
    if (o.reason() != null) {
      b.addField("reason", o.reason());
    }
    return b.build();
  }

  /**
   * A dead letter. Tagged by factory only (a known one, or none): the topic and reason come from
   * the sender and are fields, so that refusals cannot grow the series.
   */
  public static Point rejected(RejectedMessage r) {
    Point.Builder b = Point.measurement(REJECTED).time(r.storageNanos(), TimeUnit.NANOSECONDS);
    if (r.factory() != null) {
      b.tag("factory", r.factory());
    }
    return b.addField("topic", r.topic())
        .addField("reason", r.reason())
        .addField("bytes", r.bytes())
        .addField("readings", r.readings())
        .build();
  }
}
