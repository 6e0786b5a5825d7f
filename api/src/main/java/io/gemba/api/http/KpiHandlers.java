package io.gemba.api.http;

import io.gemba.api.security.ApiSecurity;
import io.gemba.api.store.KpiStore;
import io.gemba.api.store.OeeWindow;
import io.gemba.api.store.Scope;
import io.gemba.api.store.SignalBucket;
import io.gemba.model.asset.Factory;
import io.gemba.model.asset.Line;
import io.gemba.model.asset.MachinePlacement;
import io.gemba.model.asset.Park;
import io.gemba.model.oee.OeeTotals;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The KPI endpoints: OEE of a machine, line, factory or the park per window, its losses and
 * downtime Pareto, and a signal downsampled; JSON or CSV. Anomalies and gaps are in {@link
 * EventHandlers}.
 */
public final class KpiHandlers {

  /** The windows OEE is summed over, and the longest range each may span. */
  static final Map<String, Duration> WINDOWS =
      Map.of(
          "1m", Duration.ofDays(7),
          "1h", Duration.ofDays(92),
          "shift", Duration.ofDays(400),
          "day", Duration.ofDays(400));

  private final Park park;
  private final KpiStore store;
  private final Requests requests;

  public KpiHandlers(StoreQueries queries, Park park, KpiStore store, LongSupplier clock) {
    this.park = park;
    this.store = store;
    this.requests = new Requests(queries, clock);
  }

  /**
   * What a path names, with the time zone its days and the ideal cycle its parts are counted in.
   */
  private record Target(Scope scope, JsonObject identity, ZoneId zone, double idealCycleMs) {}

  private Target target(RoutingContext ctx) {
    String machineId = ctx.pathParam("machineId");
    if (machineId != null) {
      MachinePlacement m = Requests.machine(ctx, park, machineId);
      return new Target(
          Scope.machine(machineId),
          new JsonObject()
              .put("scope", "machine")
              .put("machine", machineId)
              .put("line", m.line().id())
              .put("factory", m.factory().id()),
          m.factory().timeZone(),
          m.machine().idealCycleMs());
    }
    String factoryId = ctx.pathParam("factoryId");
    if (factoryId == null) {
      ApiSecurity.requirePark(ctx);
      ZoneId zone =
          park.factories().size() == 1 ? park.factories().get(0).timeZone() : ZoneId.of("UTC");
      return new Target(
          Scope.park(park.id()),
          new JsonObject().put("scope", "park").put("park", park.id()),
          zone,
          1);
    }
    Factory factory = Requests.factory(ctx, park, factoryId);
    String lineId = ctx.pathParam("lineId");
    if (lineId == null) {
      return new Target(
          Scope.factory(factoryId),
          new JsonObject().put("scope", "factory").put("factory", factoryId),
          factory.timeZone(),
          1);
    }
    Line line =
        factory.lines().stream()
            .filter(l -> l.id().equals(lineId))
            .findFirst()
            .orElseThrow(
                () -> Problem.notFound("no line '" + lineId + "' in factory '" + factoryId + "'"));
    return new Target(
        Scope.line(factoryId, line.id()),
        new JsonObject().put("scope", "line").put("line", lineId).put("factory", factoryId),
        factory.timeZone(),
        1);
  }

  /** {@code GET .../oee?window=1m|1h|shift|day&from&to}. */
  public void oee(RoutingContext ctx) {
    Target t = target(ctx);
    String window = ctx.request().getParam("window", "1m");
    Duration max = WINDOWS.get(window);
    if (max == null) {
      throw Problem.badParameter(
          "window", "expected one of 1m, 1h, shift, day, got '" + window + "'");
    }
    if (window.equals("shift") && t.scope().kind().equals("park")) {
      throw Problem.badParameter(
          "window",
          "the park has no shifts of its own (its factories keep their own calendars); use day, or"
              + " a factory's shifts");
    }
    boolean csv = Csv.wanted(ctx);
    TimeRange range = requests.range(ctx, max);
    requests.query(
        ctx,
        () -> store.oee(t.scope(), window, range.from(), range.to(), t.zone(), t.idealCycleMs()),
        windows -> {
          JsonArray points = new JsonArray();
          windows.forEach(w -> points.add(KpiJson.point(w)));
          if (csv) {
            Csv.send(ctx, "oee-" + t.scope().id(), points);
          } else {
            ctx.json(
                t.identity()
                    .copy()
                    .put("window", window)
                    .put("from", Requests.iso(range.from()))
                    .put("to", Requests.iso(range.to()))
                    .put("points", points));
          }
        });
  }

  /** {@code GET .../losses?from&to}: the range's figures, six big losses, state times, Pareto. */
  public void losses(RoutingContext ctx) {
    Target t = target(ctx);
    boolean csv = Csv.wanted(ctx);
    TimeRange range = requests.range(ctx, WINDOWS.get("1h"));
    requests.query(
        ctx,
        () -> {
          OeeTotals sum = OeeTotals.ZERO;
          for (OeeWindow w :
              store.oee(t.scope(), "1h", range.from(), range.to(), t.zone(), t.idealCycleMs())) {
            sum = sum.plus(w.totals());
          }
          return Map.entry(sum, store.stopReasons(t.scope(), range.from(), range.to()));
        },
        result -> {
          JsonArray pareto = KpiJson.pareto(result.getValue());
          if (csv) {
            Csv.send(ctx, "pareto-" + t.scope().id(), pareto);
            return;
          }
          JsonObject body =
              t.identity()
                  .copy()
                  .put("from", Requests.iso(range.from()))
                  .put("to", Requests.iso(range.to()))
                  .mergeIn(KpiJson.figures(result.getKey()))
                  .put("pareto", pareto);
          ctx.json(body);
        });
  }

  /** {@code GET /api/v1/machines/{id}/signals/{signal}?from&to&maxPoints}: downsampled. */
  public void signal(RoutingContext ctx) {
    Target t = target(ctx);
    String signal = ctx.pathParam("signal");
    int maxPoints = Requests.intParam(ctx, "maxPoints", 500, 2, 10_000);
    boolean csv = Csv.wanted(ctx);
    TimeRange range = requests.range(ctx, Duration.ofDays(31));
    long bucketMs = Math.max(1, (range.to() - range.from() + maxPoints - 1) / maxPoints);
    requests.query(
        ctx,
        () -> store.signal(t.scope().id(), signal, range.from(), range.to(), bucketMs),
        buckets -> {
          JsonArray points = new JsonArray();
          for (SignalBucket b : buckets) {
            points.add(
                new JsonObject()
                    .put("t", Requests.iso(b.start()))
                    .put("mean", b.mean())
                    .put("min", b.min())
                    .put("max", b.max())
                    .put("count", b.count()));
          }
          if (csv) {
            Csv.send(ctx, t.scope().id() + "-" + signal, points);
          } else {
            ctx.json(
                t.identity()
                    .copy()
                    .put("signal", signal)
                    .put("bucketMs", bucketMs)
                    .put("from", Requests.iso(range.from()))
                    .put("to", Requests.iso(range.to()))
                    .put("points", points));
          }
        });
  }
}
