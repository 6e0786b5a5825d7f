package io.gemba.api.http;

import io.gemba.api.store.OeeWindow;
import io.gemba.model.oee.OeeFigures;
import io.gemba.model.oee.OeeTotals;
import io.gemba.model.oee.SixBigLosses;
import io.gemba.model.oee.StateTimes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.Map;

/** The JSON of OEE windows, their losses and state times, and a downtime Pareto. */
final class KpiJson {

  private KpiJson() {}

  static JsonObject point(OeeWindow w) {
    JsonObject p =
        new JsonObject().put("start", Requests.iso(w.start())).put("end", Requests.iso(w.end()));
    if (w.label() != null) {
      p.put("shift", w.label());
    }
    return p.mergeIn(figures(w.totals()));
  }

  /** Figures computed once from the sums, with the times, counts, losses and state times. */
  static JsonObject figures(OeeTotals t) {
    OeeFigures f = t.figures();
    SixBigLosses l = t.losses();
    StateTimes s = t.times();
    return new JsonObject()
        .put("availability", defined(f.availability()))
        .put("performance", defined(f.performance()))
        .put("quality", defined(f.quality()))
        .put("oee", defined(f.oee()))
        .put("coverage", defined(t.coverage()))
        .put("plannedMs", t.plannedMs())
        .put("runMs", t.runMs())
        .put("knownPlannedMs", t.knownPlannedMs())
        .put("total", t.totalCount())
        .put("good", t.goodCount())
        .put(
            "lossesMs",
            new JsonObject()
                .put("unplannedStop", l.unplannedStopMs())
                .put("plannedStop", l.plannedStopMs())
                .put("smallStop", l.smallStopMs())
                .put("slowCycle", l.slowCycleMs())
                .put("productionReject", l.productionRejectMs())
                .put("startupReject", l.startupRejectMs()))
        .put(
            "stateMs",
            new JsonObject()
                .put("producing", s.producingMs())
                .put("idle", s.idleMs())
                .put("down", s.downMs())
                .put("setup", s.setupMs())
                .put("plannedStop", s.plannedStopMs())
                .put("smallStop", s.smallStopMs()));
  }

  /** Stop time by reason, largest first, with each reason's share and the running share. */
  static JsonArray pareto(Map<String, Long> reasons) {
    long all = reasons.values().stream().mapToLong(Long::longValue).sum();
    JsonArray out = new JsonArray();
    long running = 0;
    for (Map.Entry<String, Long> e :
        reasons.entrySet().stream()
            .sorted(
                Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                    .thenComparing(Map.Entry.comparingByKey()))
            .toList()) {
      running += e.getValue();
      out.add(
          new JsonObject()
              .put("reason", e.getKey())
              .put("ms", e.getValue())
              .put("share", (double) e.getValue() / all)
              .put("cumulativeShare", (double) running / all));
    }
    return out;
  }

  private static Double defined(double value) {
    return OeeFigures.defined(value) ? value : null;
  }
}
