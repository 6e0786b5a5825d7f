package io.gemba.api.http;

import io.gemba.api.security.ApiSecurity;
import io.gemba.api.security.ApiUser;
import io.gemba.api.security.AssetAccess;
import io.gemba.api.security.Role;
import io.gemba.api.store.AnomalyRow;
import io.gemba.api.store.GapRow;
import io.gemba.api.store.KpiStore;
import io.gemba.model.anomaly.AnomalyRule;
import io.gemba.model.asset.Park;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * What the KPI job found besides OEE: anomalies (list, filter, acknowledge) and sequence gaps; JSON
 * or CSV.
 */
public final class EventHandlers {

  static final Set<String> RULES =
      Arrays.stream(AnomalyRule.values())
          .map(AnomalyRule::wireName)
          .collect(Collectors.toUnmodifiableSet());

  private final Park park;
  private final KpiStore store;
  private final Requests requests;

  public EventHandlers(StoreQueries queries, Park park, KpiStore store, LongSupplier clock) {
    this.park = park;
    this.store = store;
    this.requests = new Requests(queries, clock);
  }

  /** {@code GET /api/v1/anomalies?factory&line&machine&rule&from&to&limit}, newest first. */
  public void anomalies(RoutingContext ctx) {
    Map<String, String> tags = new LinkedHashMap<>();
    String factory = ctx.request().getParam("factory");
    String line = ctx.request().getParam("line");
    String machine = ctx.request().getParam("machine");
    String rule = ctx.request().getParam("rule");
    if (factory != null) {
      AssetAccess.factory(
          ctx,
          park,
          factory,
          id -> Problem.badParameter("factory", "no factory '" + id + "' in the park"));
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
      AssetAccess.machine(
          ctx,
          park,
          machine,
          id -> Problem.badParameter("machine", "no machine '" + id + "' in the park"));
      tags.put("machine", machine);
    }
    if (rule != null) {
      if (!RULES.contains(rule)) {
        throw Problem.badParameter(
            "rule", "expected one of " + RULES.stream().sorted().toList() + ", got '" + rule + "'");
      }
      tags.put("rule", rule);
    }
    int limit = Requests.intParam(ctx, "limit", 100, 1, 1000);
    boolean csv = Csv.wanted(ctx);
    TimeRange range = requests.range(ctx, Duration.ofDays(92));
    requests.query(
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
                    .put("start", Requests.iso(a.start()))
                    // An anomaly raised while it lasts has no end yet.
                    .put("end", a.end() == 0 ? null : Requests.iso(a.end()))
                    .put("ongoing", a.end() == 0)
                    .put("score", a.score())
                    .put("message", a.message())
                    .put("acknowledgedBy", a.acknowledgedBy())
                    .put(
                        "acknowledgedAt",
                        a.acknowledgedAt() == 0 ? null : Requests.iso(a.acknowledgedAt())));
          }
          if (csv) {
            Csv.send(ctx, "anomalies", out);
          } else {
            ctx.json(
                new JsonObject()
                    .put("from", Requests.iso(range.from()))
                    .put("to", Requests.iso(range.to()))
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
    AssetAccess.machine(
        ctx,
        park,
        machine,
        id -> Problem.badParameter("machine", "no machine '" + id + "' in the park"));
    long now = requests.now();
    requests.query(
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
    int limit = Requests.intParam(ctx, "limit", 100, 1, 1000);
    boolean csv = Csv.wanted(ctx);
    TimeRange range = requests.range(ctx, Duration.ofDays(92));
    requests.query(
        ctx,
        () -> store.gaps(gateway, range.from(), range.to(), limit),
        rows -> {
          JsonArray out = new JsonArray();
          for (GapRow g : rows) {
            out.add(
                new JsonObject()
                    .put("gateway", g.gateway())
                    .put("session", g.session())
                    .put("revealedAt", Requests.iso(g.revealedAt()))
                    .put("fromSeq", g.fromSeq())
                    .put("toSeq", g.toSeq())
                    .put("missing", g.missing()));
          }
          if (csv) {
            Csv.send(ctx, "gaps", out);
          } else {
            ctx.json(
                new JsonObject()
                    .put("from", Requests.iso(range.from()))
                    .put("to", Requests.iso(range.to()))
                    .put("gaps", out));
          }
        });
  }
}
