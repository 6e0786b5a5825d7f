package io.gemba.api.http;

import io.gemba.api.store.KpiStore;
import io.gemba.api.store.MachineLive;
import io.gemba.api.store.OeePoint;
import io.gemba.model.asset.MachinePlacement;
import io.gemba.model.asset.Park;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Machine endpoints: {@code GET /api/v1/machines/{machineId}/oee} (minute OEE over a range) and
 * {@code GET /api/v1/machines/{machineId}/live} (latest state and signal values). Store queries
 * block, so they run on Vert.x worker threads.
 */
public final class MachineHandlers {

  private static final Logger log = LoggerFactory.getLogger(MachineHandlers.class);
  private static final long LIVE_LOOKBACK_MS = 24 * 3_600_000L;

  private final Vertx vertx;
  private final Park park;
  private final KpiStore store;
  private final LongSupplier clock;

  public MachineHandlers(Vertx vertx, Park park, KpiStore store, LongSupplier clock) {
    this.vertx = vertx;
    this.park = park;
    this.store = store;
    this.clock = clock;
  }

  public void oee(RoutingContext ctx) {
    MachinePlacement machine = machine(ctx);
    TimeRange range =
        TimeRange.parse(
            ctx.request().getParam("from"), ctx.request().getParam("to"), clock.getAsLong());
    vertx
        .executeBlocking(() -> store.machineOee(machine.machine().id(), range.from(), range.to()))
        .onSuccess(points -> ctx.json(oeeJson(machine, range, points)))
        .onFailure(e -> storeFailed(ctx, e));
  }

  public void live(RoutingContext ctx) {
    MachinePlacement machine = machine(ctx);
    long now = clock.getAsLong();
    vertx
        .executeBlocking(() -> store.machineLive(machine.machine().id(), now, LIVE_LOOKBACK_MS))
        .onSuccess(live -> ctx.json(liveJson(machine, live)))
        .onFailure(e -> storeFailed(ctx, e));
  }

  private MachinePlacement machine(RoutingContext ctx) {
    String id = ctx.pathParam("machineId");
    return park.findMachine(id)
        .orElseThrow(() -> Problem.notFound("no machine '" + id + "' in park '" + park.id() + "'"));
  }

  private static void storeFailed(RoutingContext ctx, Throwable e) {
    log.warn("store query failed path={} reason={}", ctx.request().path(), e.getMessage());
    Problem.send(
        ctx,
        new Problem(
            503, "Storage unavailable", "InfluxDB did not answer: " + e.getMessage(), null));
  }

  static JsonObject oeeJson(MachinePlacement m, TimeRange range, List<OeePoint> points) {
    JsonArray out = new JsonArray();
    for (OeePoint p : points) {
      out.add(
          new JsonObject()
              .put("start", Instant.ofEpochMilli(p.start()).toString())
              .put("end", Instant.ofEpochMilli(p.end()).toString())
              .put("availability", p.availability())
              .put("performance", p.performance())
              .put("quality", p.quality())
              .put("oee", p.oee())
              .put("coverage", p.coverage())
              .put("plannedMs", p.plannedMs())
              .put("runMs", p.runMs())
              .put("total", p.total())
              .put("good", p.good()));
    }
    return new JsonObject()
        .put("machine", m.machine().id())
        .put("line", m.line().id())
        .put("factory", m.factory().id())
        .put("window", "1m")
        .put("from", Instant.ofEpochMilli(range.from()).toString())
        .put("to", Instant.ofEpochMilli(range.to()).toString())
        .put("points", out);
  }

  static JsonObject liveJson(MachinePlacement m, MachineLive live) {
    JsonObject signals = new JsonObject();
    for (Map.Entry<String, MachineLive.SignalSample> e : live.signals().entrySet()) {
      String unit =
          m.machine().signals().stream()
              .filter(s -> s.name().equals(e.getKey()))
              .map(s -> s.unit())
              .findFirst()
              .orElse("");
      signals.put(
          e.getKey(),
          new JsonObject()
              .put("value", e.getValue().value())
              .put("ts", Instant.ofEpochMilli(e.getValue().ts()).toString())
              .put("quality", e.getValue().quality())
              .put("unit", unit));
    }
    return new JsonObject()
        .put("machine", m.machine().id())
        .put("state", live.state() == null ? "unknown" : live.state())
        .put(
            "stateSince",
            live.stateSince() == null ? null : Instant.ofEpochMilli(live.stateSince()).toString())
        .put("signals", signals);
  }
}
