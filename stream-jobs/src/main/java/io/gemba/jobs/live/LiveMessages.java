package io.gemba.jobs.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gemba.jobs.anomaly.Anomaly;
import io.gemba.jobs.records.OeeMinute;
import io.gemba.jobs.records.RollupMinute;
import io.gemba.jobs.records.ShiftToDate;
import io.gemba.model.envelope.Topics;
import io.gemba.model.oee.OeeFigures;
import io.gemba.model.oee.OeeTotals;
import io.gemba.model.oee.SixBigLosses;
import java.time.Instant;

/**
 * The JSON the KPI job publishes live (see docs/kpi-job.md): the latest minute of every machine,
 * line, factory and the park on retained {@code .../kpi/oee} topics, shift-to-date OEE of machines,
 * lines and factories on retained {@code .../kpi/oee_shift}, and every anomaly on {@code
 * .../kpi/anomaly}.
 */
public final class LiveMessages {

  private static final ObjectMapper JSON = new ObjectMapper();

  private LiveMessages() {}

  public static LiveMessage machineOee(OeeMinute m) {
    ObjectNode node =
        oee("machine", m.machine(), m.start(), m.end(), OeeTotals.of(m.toMachineOee()));
    node.put("factory", m.factory()).put("line", m.line());
    return new LiveMessage(
        Topics.machineKpi(m.factory(), m.line(), m.machine(), "oee"), bytes(node), true);
  }

  public static LiveMessage rollupOee(RollupMinute r) {
    ObjectNode node = oee(r.scope(), r.id(), r.start(), r.end(), r.totals());
    node.put("machines", r.machines()).put("reporting", r.reporting());
    String topic =
        switch (r.scope()) {
          case "line" -> Topics.lineKpi(r.factory(), r.id(), "oee");
          case "factory" -> Topics.factoryKpi(r.id(), "oee");
          default -> Topics.parkKpi("oee");
        };
    if (!r.factory().isEmpty()) {
      node.put("factory", r.factory());
    }
    return new LiveMessage(topic, bytes(node), true);
  }

  /** A machine's, line's or factory's OEE from the start of its shift, retained. */
  public static LiveMessage shiftOee(ShiftToDate s) {
    ObjectNode node = oee(s.scope(), s.id(), s.shiftStart(), s.asOf(), s.totals());
    node.put("shift", s.shift())
        .put("shiftEnd", Instant.ofEpochMilli(s.shiftEnd()).toString())
        .put("factory", s.factory());
    String topic =
        switch (s.scope()) {
          case "machine" -> Topics.machineKpi(s.factory(), s.line(), s.id(), "oee_shift");
          case "line" -> Topics.lineKpi(s.factory(), s.id(), "oee_shift");
          default -> Topics.factoryKpi(s.id(), "oee_shift");
        };
    if (!s.line().isEmpty()) {
      node.put("line", s.line());
    }
    return new LiveMessage(topic, bytes(node), true);
  }

  public static LiveMessage anomaly(Anomaly a) {
    ObjectNode node = JSON.createObjectNode();
    node.put("factory", a.factory())
        .put("line", a.line())
        .put("machine", a.machine())
        .put("signal", a.signal())
        .put("rule", a.rule())
        .put("score", a.score())
        .put("start", Instant.ofEpochMilli(a.start()).toString())
        .put("message", a.message());
    if (a.ongoing()) {
      node.putNull("end");
    } else {
      node.put("end", Instant.ofEpochMilli(a.end()).toString());
    }
    return new LiveMessage(
        Topics.machineKpi(a.factory(), a.line(), a.machine(), "anomaly"), bytes(node), false);
  }

  private static ObjectNode oee(String scope, String id, long start, long end, OeeTotals t) {
    OeeFigures f = t.figures();
    ObjectNode node = JSON.createObjectNode();
    node.put("scope", scope)
        .put("id", id)
        .put("start", Instant.ofEpochMilli(start).toString())
        .put("end", Instant.ofEpochMilli(end).toString());
    figure(node, "availability", f.availability());
    figure(node, "performance", f.performance());
    figure(node, "quality", f.quality());
    figure(node, "oee", f.oee());
    figure(node, "coverage", t.coverage());
    node.put("plannedMs", t.plannedMs())
        .put("runMs", t.runMs())
        .put("knownPlannedMs", t.knownPlannedMs())
        .put("total", t.totalCount())
        .put("good", t.goodCount());
    SixBigLosses l = t.losses();
    node.putObject("lossesMs")
        .put("unplannedStop", l.unplannedStopMs())
        .put("plannedStop", l.plannedStopMs())
        .put("smallStop", l.smallStopMs())
        .put("slowCycle", l.slowCycleMs())
        .put("productionReject", l.productionRejectMs())
        .put("startupReject", l.startupRejectMs());
    return node;
  }

  private static void figure(ObjectNode node, String name, double value) {
    if (OeeFigures.defined(value)) {
      node.put(name, value);
    } else {
      node.putNull(name);
    }
  }

  private static byte[] bytes(ObjectNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (Exception e) {
      throw new IllegalStateException("cannot write live message", e);
    }
  }
}
