package io.gemba.api.http;

import io.gemba.api.security.ApiSecurity;
import io.gemba.api.store.KpiStore;
import io.gemba.api.store.MachineLive;
import io.gemba.model.asset.MachinePlacement;
import io.gemba.model.asset.Park;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * {@code GET /api/v1/machines/{machineId}/live}: a machine's latest state and signal values. Store
 * queries block, so they run on Vert.x worker threads. OEE and the other KPI endpoints are in
 * {@link KpiHandlers}.
 */
public final class MachineHandlers {

  private static final long LIVE_LOOKBACK_MS = 24 * 3_600_000L;

  private final Park park;
  private final KpiStore store;
  private final Requests requests;

  public MachineHandlers(Vertx vertx, Park park, KpiStore store, LongSupplier clock) {
    this.park = park;
    this.store = store;
    this.requests = new Requests(vertx, clock);
  }

  public void live(RoutingContext ctx) {
    MachinePlacement machine = machine(ctx);
    long now = requests.now();
    requests.query(
        ctx,
        () -> store.machineLive(machine.machine().id(), now, LIVE_LOOKBACK_MS),
        live -> ctx.json(liveJson(machine, live)));
  }

  private MachinePlacement machine(RoutingContext ctx) {
    String id = ctx.pathParam("machineId");
    MachinePlacement m =
        park.findMachine(id)
            .orElseThrow(
                () -> Problem.notFound("no machine '" + id + "' in park '" + park.id() + "'"));
    ApiSecurity.requireFactory(ctx, m.factory().id());
    return m;
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
