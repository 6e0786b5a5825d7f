package io.gemba.jobs.influx;

import io.gemba.jobs.anomaly.Anomaly;
import io.gemba.jobs.records.Gap;
import io.gemba.jobs.records.OeeMinute;
import io.gemba.jobs.records.Reading;
import io.gemba.jobs.records.RejectedMessage;
import io.gemba.jobs.records.RollupMinute;
import io.gemba.model.oee.MachineOee;
import io.gemba.model.oee.OeeFigures;
import io.gemba.model.oee.OeeTotals;
import java.util.concurrent.TimeUnit;
import org.influxdb.dto.Point;

/**
 * The storage schema: measurements {@code oee}, {@code telemetry}, {@code machine_state}, {@code
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
            .addField("ideal_cycle_ms", m.idealCycleMs());
    return withFigures(b, f, oee.coverage());
  }

  /** A line's, factory's or the park's minute, with its sums and the figures computed from them. */
  public static Point rollup(RollupMinute r) {
    OeeTotals t = r.totals();
    OeeFigures f = t.figures();
    Point.Builder b =
        Point.measurement(OEE_ROLLUP)
            .time(r.start(), TimeUnit.MILLISECONDS)
            .tag("scope", r.scope())
            .tag("id", r.id())
            .tag("factory", r.factory())
            .tag("window", "1m")
            .addField("planned_ms", t.plannedMs())
            .addField("run_ms", t.runMs())
            .addField("known_planned_ms", t.knownPlannedMs())
            .addField("total_count", t.totalCount())
            .addField("good_count", t.goodCount())
            .addField("net_run_ms", t.netRunMs())
            .addField("fully_productive_ms", t.fullyProductiveMs())
            .addField("machines", r.machines())
            .addField("reporting", r.reporting());
    return withFigures(b, f, t.coverage());
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
    return Point.measurement(MACHINE_STATE)
        .time(o.ts(), TimeUnit.MILLISECONDS)
        .tag("factory", o.factory())
        .tag("line", o.line())
        .tag("machine", o.machine())
        .addField("state", o.state().wireName())
        .build();
  }

  public static Point rejected(RejectedMessage r) {
    return Point.measurement(REJECTED)
        .time(r.storageNanos(), TimeUnit.NANOSECONDS)
        .tag("topic", r.topic())
        .addField("reason", r.reason())
        .addField("bytes", r.bytes())
        .build();
  }
}
