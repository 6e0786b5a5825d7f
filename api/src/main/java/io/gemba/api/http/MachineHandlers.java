package io.gemba.api.http;

import io.gemba.api.store.KpiStore;
import io.gemba.api.store.LatestState;
import io.gemba.api.store.MachineLive;
import io.gemba.api.store.StateSpan;
import io.gemba.model.asset.Factory;
import io.gemba.model.asset.Line;
import io.gemba.model.asset.Machine;
import io.gemba.model.asset.MachinePlacement;
import io.gemba.model.asset.Park;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Machine states and values: {@code GET /api/v1/machines/{machineId}/live} (latest state and signal
 * values), {@code .../states} (the state timeline of a range) and {@code
 * /api/v1/factories/{factoryId}/states} (every machine's latest state). Store queries block, so
 * they run on Vert.x worker threads. OEE and the other KPI endpoints are in {@link KpiHandlers}.
 */
public final class MachineHandlers {

  private static final long LIVE_LOOKBACK_MS = 24 * 3_600_000L;

  private final Park park;
  private final KpiStore store;
  private final Requests requests;

  public MachineHandlers(StoreQueries queries, Park park, KpiStore store, LongSupplier clock) {
    this.park = park;
    this.store = store;
    this.requests = new Requests(queries, clock);
  }

  public void live(RoutingContext ctx) {
    MachinePlacement machine = machine(ctx);
    long now = requests.now();
    requests.query(
        ctx,
        () -> store.machineLive(machine.machine().id(), now, LIVE_LOOKBACK_MS),
        live -> ctx.json(liveJson(machine, live)));
  }

  /** {@code GET /api/v1/machines/{machineId}/states?from&to}: the state timeline, JSON or CSV. */
  public void states(RoutingContext ctx) {
    MachinePlacement machine = machine(ctx);
    boolean csv = Csv.wanted(ctx);
    TimeRange range = requests.range(ctx, TimeRange.MAX);
    String id = machine.machine().id();
    requests.query(
        ctx,
        () -> store.stateHistory(id, range.from(), range.to(), LIVE_LOOKBACK_MS),
        spans -> {
          JsonArray rows = new JsonArray();
          for (StateSpan span : spans) {
            rows.add(
                new JsonObject()
                    .put("start", Requests.iso(span.start()))
                    .put("end", Requests.iso(span.end()))
                    .put("state", span.state())
                    .put("reason", span.reason()));
          }
          if (csv) {
            Csv.send(ctx, "states-" + id, rows);
          } else {
            ctx.json(
                new JsonObject()
                    .put("machine", id)
                    .put("from", Requests.iso(range.from()))
                    .put("to", Requests.iso(range.to()))
                    .put("states", rows));
          }
        });
  }

  /** {@code GET /api/v1/factories/{factoryId}/states}: each machine's latest state. */
  public void factoryStates(RoutingContext ctx) {
    String factoryId = ctx.pathParam("factoryId");
    Factory factory = Requests.factory(ctx, park, factoryId);
    long now = requests.now();
    requests.query(
        ctx,
        () -> store.latestStates(factoryId, now, LIVE_LOOKBACK_MS),
        states -> {
          Map<String, LatestState> byMachine = new HashMap<>();
          states.forEach(s -> byMachine.put(s.machine(), s));
          JsonArray machines = new JsonArray();
          for (Line line : factory.lines()) {
            for (Machine m : line.machines()) {
              LatestState s = byMachine.get(m.id());
              machines.add(
                  new JsonObject()
                      .put("machine", m.id())
                      .put("line", line.id())
                      .put("state", s == null ? "unknown" : s.state())
                      .put("since", s == null ? null : Requests.iso(s.since()))
                      .put("reason", s == null ? null : s.reason()));
            }
          }
          ctx.json(new JsonObject().put("factory", factoryId).put("machines", machines));
        });
  }

  private MachinePlacement machine(RoutingContext ctx) {
    String id = ctx.pathParam("machineId");
    MachinePlacement m = Requests.machine(ctx, park, id);
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
