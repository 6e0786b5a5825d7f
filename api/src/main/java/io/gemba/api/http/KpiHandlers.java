package io.gemba.api.http;

import io.gemba.api.security.ApiSecurity;
import io.gemba.api.security.ApiUser;
import io.gemba.api.security.Role;
import io.gemba.api.store.AnomalyRow;
import io.gemba.api.store.GapRow;
import io.gemba.api.store.KpiStore;
import io.gemba.api.store.OeeWindow;
import io.gemba.api.store.Scope;
import io.gemba.api.store.SignalBucket;
import io.gemba.model.asset.Factory;
import io.gemba.model.asset.Line;
import io.gemba.model.asset.MachinePlacement;
import io.gemba.model.asset.Park;
import io.gemba.model.oee.OeeFigures;
import io.gemba.model.oee.OeeTotals;
import io.gemba.model.oee.SixBigLosses;
import io.gemba.model.oee.StateTimes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The KPI endpoints: OEE of a machine, line, factory or the park per window, its losses and
 * downtime Pareto, a signal downsampled, anomalies and sequence gaps; JSON or CSV. Store queries
 * block, so they run on Vert.x worker threads.
 */
public final class KpiHandlers {

  private static final Logger log = LoggerFactory.getLogger(KpiHandlers.class);

  /** The windows OEE is summed over, and the longest range each may span. */
  static final Map<String, Duration> WINDOWS =
      Map.of(
          "1m", Duration.ofDays(7),
          "1h", Duration.ofDays(92),
          "shift", Duration.ofDays(400),
          "day", Duration.ofDays(400));

  static final Set<String> RULES =
      Set.of(
          "outlier",
          "shift",
          "stuck",
          "drift",
          "dropout",
          "clock_jump",
          "rate_of_change",
          "we2",
          "we3",
          "we4");

  private final Vertx vertx;
  private final Park park;
  private final KpiStore store;
  private final LongSupplier clock;

  public KpiHandlers(Vertx vertx, Park park, KpiStore store, LongSupplier clock) {
    this.vertx = vertx;
    this.park = park;
    this.store = store;
    this.clock = clock;
  }

  /**
   * What a path names, with the time zone its days and the ideal cycle its parts are counted in.
   */
  private record Target(Scope scope, JsonObject identity, ZoneId zone, double idealCycleMs) {}

  private Target target(RoutingContext ctx) {
    String machineId = ctx.pathParam("machineId");
    if (machineId != null) {
      MachinePlacement m =
          park.findMachine(machineId)
              .orElseThrow(
                  () ->
                      Problem.notFound(
                          "no machine '" + machineId + "' in park '" + park.id() + "'"));
      ApiSecurity.requireFactory(ctx, m.factory().id());
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
    Factory factory =
        park.factories().stream()
            .filter(f -> f.id().equals(factoryId))
            .findFirst()
            .orElseThrow(
                () ->
                    Problem.notFound("no factory '" + factoryId + "' in park '" + park.id() + "'"));
    ApiSecurity.requireFactory(ctx, factoryId);
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
    TimeRange range = range(ctx, max);
    query(
        ctx,
        () -> store.oee(t.scope(), window, range.from(), range.to(), t.zone(), t.idealCycleMs()),
        windows -> {
          JsonArray points = new JsonArray();
          windows.forEach(w -> points.add(point(w)));
          if (csv) {
            Csv.send(ctx, "oee-" + t.scope().id(), points);
          } else {
            ctx.json(
                t.identity()
                    .copy()
                    .put("window", window)
                    .put("from", iso(range.from()))
                    .put("to", iso(range.to()))
                    .put("points", points));
          }
        });
  }

  /** {@code GET .../losses?from&to}: the range's figures, six big losses, state times, Pareto. */
  public void losses(RoutingContext ctx) {
    Target t = target(ctx);
    boolean csv = Csv.wanted(ctx);
    TimeRange range = range(ctx, WINDOWS.get("1h"));
    query(
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
          JsonArray pareto = pareto(result.getValue());
          if (csv) {
            Csv.send(ctx, "pareto-" + t.scope().id(), pareto);
            return;
          }
          JsonObject body =
              t.identity()
                  .copy()
                  .put("from", iso(range.from()))
                  .put("to", iso(range.to()))
                  .mergeIn(figures(result.getKey()))
                  .put("pareto", pareto);
          ctx.json(body);
        });
  }

  /** {@code GET /api/v1/machines/{id}/signals/{signal}?from&to&maxPoints}: downsampled. */
  public void signal(RoutingContext ctx) {
    Target t = target(ctx);
    String signal = ctx.pathParam("signal");
    int maxPoints = intParam(ctx, "maxPoints", 500, 2, 10_000);
    boolean csv = Csv.wanted(ctx);
    TimeRange range = range(ctx, Duration.ofDays(31));
    long bucketMs = Math.max(1, (range.to() - range.from() + maxPoints - 1) / maxPoints);
    query(
        ctx,
        () -> store.signal(t.scope().id(), signal, range.from(), range.to(), bucketMs),
        buckets -> {
          JsonArray points = new JsonArray();
          for (SignalBucket b : buckets) {
            points.add(
                new JsonObject()
                    .put("t", iso(b.start()))
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
                    .put("from", iso(range.from()))
                    .put("to", iso(range.to()))
                    .put("points", points));
          }
        });
  }

  /** {@code GET /api/v1/anomalies?factory&line&machine&rule&from&to&limit}, newest first. */
  public void anomalies(RoutingContext ctx) {
    Map<String, String> tags = new LinkedHashMap<>();
    String factory = ctx.request().getParam("factory");
    String line = ctx.request().getParam("line");
    String machine = ctx.request().getParam("machine");
    String rule = ctx.request().getParam("rule");
    if (factory != null) {
      if (park.factories().stream().noneMatch(f -> f.id().equals(factory))) {
        throw Problem.badParameter("factory", "no factory '" + factory + "' in the park");
      }
      ApiSecurity.requireFactory(ctx, factory);
      tags.put("factory", factory);
    } else if (ApiSecurity.user(ctx) != null && ApiSecurity.user(ctx).factory() != null) {
      // A user of one factory sees its anomalies only.
      tags.put("factory", ApiSecurity.user(ctx).factory());
    }
    if (line != null) {
      if (factory == null) {
        throw Problem.badParameter("line", "a line is named within its factory: give factory too");
      }
      tags.put("line", line);
    }
    if (machine != null) {
      MachinePlacement placement =
          park.findMachine(machine)
              .orElseThrow(
                  () ->
                      Problem.badParameter("machine", "no machine '" + machine + "' in the park"));
      ApiSecurity.requireFactory(ctx, placement.factory().id());
      tags.put("machine", machine);
    }
    if (rule != null) {
      if (!RULES.contains(rule)) {
        throw Problem.badParameter(
            "rule", "expected one of " + RULES.stream().sorted().toList() + ", got '" + rule + "'");
      }
      tags.put("rule", rule);
    }
    int limit = intParam(ctx, "limit", 100, 1, 1000);
    boolean csv = Csv.wanted(ctx);
    TimeRange range = range(ctx, Duration.ofDays(92));
    query(
        ctx,
        () -> store.anomalies(tags, range.from(), range.to(), limit),
        rows -> {
          JsonArray out = new JsonArray();
          for (AnomalyRow a : rows) {
            out.add(
                new JsonObject()
                    .put("factory", a.factory())
                    .put("line", a.line())
                    .put("machine", a.machine())
                    .put("signal", a.signal())
                    .put("rule", a.rule())
                    .put("start", iso(a.start()))
                    .put("end", iso(a.end()))
                    .put("score", a.score())
                    .put("message", a.message())
                    .put("acknowledgedBy", a.acknowledgedBy())
                    .put(
                        "acknowledgedAt",
                        a.acknowledgedAt() == 0 ? null : iso(a.acknowledgedAt())));
          }
          if (csv) {
            Csv.send(ctx, "anomalies", out);
          } else {
            ctx.json(
                new JsonObject()
                    .put("from", iso(range.from()))
                    .put("to", iso(range.to()))
                    .put("anomalies", out));
          }
        });
  }

  /**
   * {@code POST /api/v1/anomalies/acknowledge} with {@code {"machine", "signal", "rule", "start"}}:
   * a plant engineer of the machine's factory acknowledges an anomaly; 204, or 404 if there is no
   * such anomaly.
   */
  public void acknowledge(RoutingContext ctx) {
    ApiUser user = ApiSecurity.user(ctx);
    if (user == null || user.role() != Role.PLANT_ENGINEER) {
      throw new Problem(
          403,
          "Forbidden",
          "only a plant-engineer acknowledges anomalies, of their own factory",
          null);
    }
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      body = null;
    }
    if (body == null) {
      throw Problem.badParameter(
          "body", "expected JSON {\"machine\", \"signal\", \"rule\", \"start\"}");
    }
    String machine = field(body, "machine");
    String signal = body.getValue("signal") instanceof String s ? s : null;
    if (signal == null) {
      throw Problem.badParameter("signal", "expected the anomaly's signal (\"\" for a clock)");
    }
    String rule = field(body, "rule");
    if (!RULES.contains(rule)) {
      throw Problem.badParameter("rule", "expected one of " + RULES.stream().sorted().toList());
    }
    long start;
    try {
      start = Instant.parse(field(body, "start")).toEpochMilli();
    } catch (java.time.format.DateTimeParseException e) {
      throw Problem.badParameter("start", "expected the anomaly's start as an ISO-8601 instant");
    }
    MachinePlacement placement =
        park.findMachine(machine)
            .orElseThrow(
                () -> Problem.badParameter("machine", "no machine '" + machine + "' in the park"));
    ApiSecurity.requireFactory(ctx, placement.factory().id());
    long now = clock.getAsLong();
    query(
        ctx,
        () -> store.acknowledge(machine, signal, rule, start, user.name(), now),
        done -> {
          if (done) {
            ctx.response().setStatusCode(204).end();
          } else {
            Problem.send(ctx, Problem.notFound("no such anomaly of '" + machine + "'"));
          }
        });
  }

  private static String field(JsonObject body, String name) {
    Object value = body.getValue(name);
    if (!(value instanceof String text) || text.isBlank()) {
      throw Problem.badParameter(name, "expected a text field '" + name + "'");
    }
    return text;
  }

  /** {@code GET /api/v1/gaps?gateway&from&to&limit}, newest first. */
  public void gaps(RoutingContext ctx) {
    // Gateways are not tied to factories in what the KPI job stores: park-wide information.
    ApiSecurity.requirePark(ctx);
    String gateway = ctx.request().getParam("gateway");
    int limit = intParam(ctx, "limit", 100, 1, 1000);
    boolean csv = Csv.wanted(ctx);
    TimeRange range = range(ctx, Duration.ofDays(92));
    query(
        ctx,
        () -> store.gaps(gateway, range.from(), range.to(), limit),
        rows -> {
          JsonArray out = new JsonArray();
          for (GapRow g : rows) {
            out.add(
                new JsonObject()
                    .put("gateway", g.gateway())
                    .put("revealedAt", iso(g.revealedAt()))
                    .put("fromSeq", g.fromSeq())
                    .put("toSeq", g.toSeq())
                    .put("missing", g.missing()));
          }
          if (csv) {
            Csv.send(ctx, "gaps", out);
          } else {
            ctx.json(
                new JsonObject()
                    .put("from", iso(range.from()))
                    .put("to", iso(range.to()))
                    .put("gaps", out));
          }
        });
  }

  private TimeRange range(RoutingContext ctx, Duration max) {
    return TimeRange.parse(
        ctx.request().getParam("from"), ctx.request().getParam("to"), clock.getAsLong(), max);
  }

  private static int intParam(RoutingContext ctx, String name, int fallback, int min, int max) {
    String text = ctx.request().getParam(name);
    if (text == null) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(text);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw Problem.badParameter(
        name, "expected a whole number from " + min + " to " + max + ", got '" + text + "'");
  }

  private <T> void query(
      RoutingContext ctx, Callable<T> query, java.util.function.Consumer<T> out) {
    vertx
        .executeBlocking(query)
        .onSuccess(
            result -> {
              try {
                out.accept(result);
              } catch (Problem p) {
                Problem.send(ctx, p);
              }
            })
        .onFailure(
            e -> {
              log.warn(
                  "store query failed path={} reason={}", ctx.request().path(), e.getMessage());
              Problem.send(
                  ctx,
                  new Problem(
                      503,
                      "Storage unavailable",
                      "InfluxDB did not answer: " + e.getMessage(),
                      null));
            });
  }

  static JsonObject point(OeeWindow w) {
    JsonObject p = new JsonObject().put("start", iso(w.start())).put("end", iso(w.end()));
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

  private static String iso(long ms) {
    return Instant.ofEpochMilli(ms).toString();
  }
}
