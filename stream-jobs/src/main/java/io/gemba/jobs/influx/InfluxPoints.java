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
import io.gemba.model.storage.Schema;
import java.util.concurrent.TimeUnit;
import org.influxdb.dto.Point;

/**
 * The KPI job's points in the storage contract ({@link Schema}): measurements {@code oee}, {@code
 * oee_rollup}, {@code oee_shift}, {@code stop_reasons}, {@code telemetry}, {@code machine_state},
 * {@code anomalies}, {@code rejected_messages} and {@code gaps}, tagged by factory, line and
 * machine (gaps by gateway), at source timestamps in milliseconds. See docs/storage.md.
 */
public final class InfluxPoints {

  private InfluxPoints() {}

  public static Point oee(OeeMinute m) {
    MachineOee oee = m.toMachineOee();
    OeeFigures f = oee.figures();
    Point.Builder b =
        Point.measurement(Schema.OEE)
            .time(m.start(), TimeUnit.MILLISECONDS)
            .tag(Schema.FACTORY, m.factory())
            .tag(Schema.LINE, m.line())
            .tag(Schema.MACHINE, m.machine())
            .tag(Schema.WINDOW, Schema.MINUTE_WINDOW)
            .addField(Schema.PLANNED_MS, m.plannedMs())
            .addField(Schema.RUN_MS, m.runMs())
            .addField(Schema.KNOWN_PLANNED_MS, m.knownPlannedMs())
            .addField(Schema.TOTAL_COUNT, m.total())
            .addField(Schema.GOOD_COUNT, m.good())
            .addField(Schema.IDEAL_CYCLE_MS, m.idealCycleMs())
            .addField(Schema.STARTUP_REJECTS, m.startupRejects());
    withTimesAndLosses(b, OeeTotals.of(oee));
    return withFigures(b, f, oee.coverage());
  }

  /**
   * A machine's stop time in one minute for one reason, at the minute's start. A reason that a
   * correction removed from the minute is written with 0 ms, so that sums stay right.
   */
  public static Point stopReason(StopReasonMinute r) {
    return Point.measurement(Schema.STOP_REASONS)
        .time(r.start(), TimeUnit.MILLISECONDS)
        .tag(Schema.FACTORY, r.factory())
        .tag(Schema.LINE, r.line())
        .tag(Schema.MACHINE, r.machine())
        .tag(Schema.REASON, r.reason())
        .tag(Schema.WINDOW, Schema.MINUTE_WINDOW)
        .addField(Schema.MS, r.ms())
        .build();
  }

  /** The times of the states and the six big losses, in milliseconds. */
  private static void withTimesAndLosses(Point.Builder b, OeeTotals t) {
    StateTimes times = t.times();
    SixBigLosses l = t.losses();
    b.addField(Schema.PRODUCING_MS, times.producingMs())
        .addField(Schema.IDLE_MS, times.idleMs())
        .addField(Schema.DOWN_MS, times.downMs())
        .addField(Schema.SETUP_MS, times.setupMs())
        .addField(Schema.PLANNED_STOP_MS, times.plannedStopMs())
        .addField(Schema.SMALL_STOP_MS, times.smallStopMs())
        .addField(Schema.LOSS_UNPLANNED_STOP_MS, l.unplannedStopMs())
        .addField(Schema.LOSS_PLANNED_STOP_MS, l.plannedStopMs())
        .addField(Schema.LOSS_SMALL_STOP_MS, l.smallStopMs())
        .addField(Schema.LOSS_SLOW_CYCLE_MS, l.slowCycleMs())
        .addField(Schema.LOSS_PRODUCTION_REJECT_MS, l.productionRejectMs())
        .addField(Schema.LOSS_STARTUP_REJECT_MS, l.startupRejectMs());
  }

  /** A line's, factory's or the park's minute, with its sums and the figures computed from them. */
  public static Point rollup(RollupMinute r) {
    OeeTotals t = r.totals();
    Point.Builder b =
        Point.measurement(Schema.OEE_ROLLUP)
            .time(r.start(), TimeUnit.MILLISECONDS)
            .tag(Schema.SCOPE, r.scope())
            .tag(Schema.ID, r.id())
            .tag(Schema.FACTORY, r.factory())
            .tag(Schema.WINDOW, Schema.MINUTE_WINDOW)
            .addField(Schema.MACHINES, r.machines())
            .addField(Schema.REPORTING, r.reporting());
    return withSums(b, t);
  }

  /**
   * A machine's, line's or factory's OEE from the start of its shift, at the shift's start:
   * overwritten as the shift goes on, so one point per scope and shift remains.
   */
  public static Point shift(ShiftToDate s) {
    Point.Builder b =
        Point.measurement(Schema.OEE_SHIFT)
            .time(s.shiftStart(), TimeUnit.MILLISECONDS)
            .tag(Schema.SCOPE, s.scope())
            .tag(Schema.ID, s.id())
            .tag(Schema.FACTORY, s.factory())
            .tag(Schema.LINE, s.line())
            .tag(Schema.SHIFT, s.shift())
            .addField(Schema.SHIFT_END_MS, s.shiftEnd())
            .addField(Schema.AS_OF_MS, s.asOf());
    return withSums(b, s.totals());
  }

  /**
   * Adds the sums a rollup or a longer window is computed from, the state times and losses, and the
   * figures.
   */
  private static Point withSums(Point.Builder b, OeeTotals t) {
    b.addField(Schema.PLANNED_MS, t.plannedMs())
        .addField(Schema.RUN_MS, t.runMs())
        .addField(Schema.KNOWN_PLANNED_MS, t.knownPlannedMs())
        .addField(Schema.TOTAL_COUNT, t.totalCount())
        .addField(Schema.GOOD_COUNT, t.goodCount())
        .addField(Schema.NET_RUN_MS, t.netRunMs())
        .addField(Schema.FULLY_PRODUCTIVE_MS, t.fullyProductiveMs())
        .addField(Schema.STARTUP_REJECT_MS, t.startupRejectMs());
    withTimesAndLosses(b, t);
    return withFigures(b, t.figures(), t.coverage());
  }

  /** Adds the figures and coverage; undefined ones are left out, never stored as 0. */
  private static Point withFigures(Point.Builder b, OeeFigures f, double coverage) {
    addIfDefined(b, Schema.AVAILABILITY, f.availability());
    addIfDefined(b, Schema.PERFORMANCE, f.performance());
    addIfDefined(b, Schema.QUALITY, f.quality());
    addIfDefined(b, Schema.OEE_FIGURE, f.oee());
    addIfDefined(b, Schema.COVERAGE, coverage);
    return b.build();
  }

  private static void addIfDefined(Point.Builder b, String field, double value) {
    if (OeeFigures.defined(value)) {
      b.addField(field, value);
    }
  }

  /**
   * An anomaly, at its start: written when it is raised (ongoing, without an end) and again when it
   * ends, which fills in its end in the same point.
   */
  public static Point anomaly(Anomaly a) {
    Point.Builder b =
        Point.measurement(Schema.ANOMALIES)
            .time(a.start(), TimeUnit.MILLISECONDS)
            .tag(Schema.FACTORY, a.factory())
            .tag(Schema.LINE, a.line())
            .tag(Schema.MACHINE, a.machine())
            .tag(Schema.SIGNAL, a.signal())
            .tag(Schema.RULE, a.rule())
            .addField(Schema.ONGOING, a.ongoing());
    if (!a.ongoing()) {
      b.addField(Schema.END_MS, a.end())
          .addField(Schema.DURATION_S, (a.end() - a.start()) / 1000.0);
    }
    return b.addField(Schema.SCORE, a.score()).addField(Schema.MESSAGE, a.message()).build();
  }

  /** A sequence gap, at the sending time of the envelope that showed it. */
  public static Point gap(Gap g) {
    return Point.measurement(Schema.GAPS)
        .time(g.revealedAt(), TimeUnit.MILLISECONDS)
        .tag(Schema.GATEWAY, g.gateway())
        .addField(Schema.SESSION, g.session())
        .addField(Schema.FROM_SEQ, g.fromSeq())
        .addField(Schema.TO_SEQ, g.toSeq())
        .addField(Schema.MISSING, g.missing())
        .build();
  }

  public static Point telemetry(Reading p) {
    Point.Builder b =
        Point.measurement(Schema.TELEMETRY)
            .time(p.ts(), TimeUnit.MILLISECONDS)
            .tag(Schema.FACTORY, p.factory())
            .tag(Schema.LINE, p.line())
            .tag(Schema.MACHINE, p.machine())
            .tag(Schema.SIGNAL, p.signal())
            .addField(Schema.QUALITY, p.quality().wireName());
    if (Double.isFinite(p.value())) {
      b.addField(Schema.VALUE, p.value());
    }
    return b.build();
  }

  public static Point machineState(Reading o) {
    Point.Builder b =
        Point.measurement(Schema.MACHINE_STATE)
            .time(o.ts(), TimeUnit.MILLISECONDS)
            .tag(Schema.FACTORY, o.factory())
            .tag(Schema.LINE, o.line())
            .tag(Schema.MACHINE, o.machine())
            .addField(Schema.STATE, o.state().wireName());
    if (o.reason() != null) {
      b.addField(Schema.REASON, o.reason());
    }
    return b.build();
  }

  /**
   * A dead letter. Tagged by factory only (a known one, or none): the topic and reason come from
   * the sender and are fields, so that refusals cannot grow the series.
   */
  public static Point rejected(RejectedMessage r) {
    Point.Builder b =
        Point.measurement(Schema.REJECTED).time(r.storageNanos(), TimeUnit.NANOSECONDS);
    if (r.factory() != null) {
      b.tag(Schema.FACTORY, r.factory());
    }
    return b.addField(Schema.TOPIC, r.topic())
        .addField(Schema.REASON, r.reason())
        .addField(Schema.BYTES, r.bytes())
        .addField(Schema.READINGS, r.readings())
        .build();
  }
}
