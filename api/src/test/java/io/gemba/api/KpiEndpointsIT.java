package io.gemba.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.gemba.jobs.anomaly.Anomaly;
import io.gemba.jobs.influx.InfluxPoints;
import io.gemba.jobs.records.Gap;
import io.gemba.jobs.records.OeeMinute;
import io.gemba.jobs.records.Reading;
import io.gemba.jobs.records.RollupMinute;
import io.gemba.jobs.records.ShiftToDate;
import io.gemba.jobs.records.StopReasonMinute;
import io.gemba.model.asset.MachineState;
import io.gemba.model.asset.Park;
import io.gemba.model.config.YamlConfigLoader;
import io.gemba.model.envelope.Quality;
import io.gemba.model.oee.OeeTotals;
import io.gemba.model.oee.StateTimes;
import io.gemba.services.InfluxDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The KPI endpoints against a real influxd holding points the KPI job's own mapping wrote: OEE per
 * scope and window computed from sums, losses and Pareto, a downsampled signal, anomalies, gaps,
 * CSV, and the 400s that name the parameter.
 */
class KpiEndpointsIT {

  private static final String PARK =
      """
      id: test-park
      factories:
        - id: zj
          timeZone: Asia/Shanghai
          lines:
            - id: smt-2
              machines:
                - { id: cnc-07, kind: cnc, idealCycleSeconds: 20 }
                - { id: cnc-08, kind: cnc, idealCycleSeconds: 30 }
      """;

  /** 08:00 in Shanghai. */
  private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

  @TempDir static Path dir;
  static InfluxDatabase influx;
  static Vertx vertx;
  static String base;
  static String token;
  static final HttpClient http = HttpClient.newHttpClient();

  private static Reading load(long ts, double value) {
    return new Reading(
        "zj",
        "smt-2",
        "cnc-07",
        ts,
        Reading.Kind.SIGNAL,
        "spindle_load",
        value,
        null,
        0,
        0,
        Quality.GOOD,
        null);
  }

  private static Reading state(long ts, MachineState state, String reason) {
    return new Reading(
        "zj",
        "smt-2",
        "cnc-07",
        ts,
        Reading.Kind.STATE,
        null,
        0,
        state,
        0,
        0,
        Quality.GOOD,
        reason);
  }

  @BeforeAll
  static void start() throws Exception {
    influx = TestApi.influx(dir.resolve("influx"));
    // Written through the KPI job's own point mapping, so that a name the job and the API do not
    // share fails here.
    TestApi.write(
        influx.url(),
        // Two minutes of cnc-07: 45 s and 30 s producing, a 15 s small stop in the first.
        InfluxPoints.oee(
            new OeeMinute(
                "zj",
                "smt-2",
                "cnc-07",
                T0,
                T0 + 60_000,
                60_000,
                60_000,
                60_000,
                2,
                2,
                20_000,
                new StateTimes(45_000, 0, 15_000, 0, 0, 15_000),
                0,
                new TreeMap<>())),
        InfluxPoints.oee(
            new OeeMinute(
                "zj",
                "smt-2",
                "cnc-07",
                T0 + 60_000,
                T0 + 120_000,
                60_000,
                30_000,
                60_000,
                1,
                0,
                20_000,
                new StateTimes(30_000, 0, 0, 30_000, 0, 0),
                1,
                new TreeMap<>())),
        InfluxPoints.rollup(
            new RollupMinute(
                "line",
                "smt-2",
                "zj",
                T0,
                T0 + 60_000,
                new OeeTotals(
                    120_000,
                    90_000,
                    120_000,
                    4,
                    3,
                    90_000,
                    60_000,
                    new StateTimes(90_000, 30_000, 0, 0, 0, 0),
                    0),
                2,
                2)),
        InfluxPoints.shift(
            new ShiftToDate(
                "factory",
                "zj",
                "zj",
                "",
                "early",
                T0,
                T0 + 8 * 3_600_000,
                T0 + 3_600_000,
                new OeeTotals(
                    3_600_000, 1_800_000, 3_000_000, 90, 85, 1_800_000, 1_700_000, null, 0))),
        InfluxPoints.stopReason(new StopReasonMinute("zj", "smt-2", "cnc-07", T0, "jam", 15_000)),
        InfluxPoints.stopReason(
            new StopReasonMinute("zj", "smt-2", "cnc-07", T0 + 60_000, "changeover", 30_000)),
        InfluxPoints.stopReason(
            new StopReasonMinute("zj", "smt-2", "cnc-07", T0 + 60_000, "jam", 5_000)),
        InfluxPoints.telemetry(load(T0, 10)),
        InfluxPoints.telemetry(load(T0 + 10_000, 20)),
        InfluxPoints.telemetry(load(T0 + 60_000, 30)),
        InfluxPoints.telemetry(load(T0 + 70_000, 50)),
        InfluxPoints.anomaly(
            new Anomaly(
                "zj",
                "smt-2",
                "cnc-07",
                "spindle_load",
                "outlier",
                12,
                T0 + 10_000,
                T0 + 11_000,
                "spindle_load jumped 12 times its usual step")),
        InfluxPoints.anomaly(
            new Anomaly(
                "zj",
                "smt-2",
                "cnc-08",
                "temperature",
                "stuck",
                15,
                T0 + 300_000,
                T0 + 900_000,
                "temperature repeated")),
        // Raised and still going on: no end yet.
        InfluxPoints.anomaly(
            new Anomaly(
                "zj",
                "smt-2",
                "cnc-08",
                "vibration",
                "drift",
                120,
                T0 + 600_000,
                Anomaly.ONGOING,
                "vibration is creeping")),
        InfluxPoints.gap(new Gap("gw-zj", 17, 6, 8, T0 + 120_000)),
        InfluxPoints.machineState(state(T0 - 600_000, MachineState.PRODUCING, null)),
        InfluxPoints.machineState(state(T0 + 1_800_000, MachineState.DOWN, "jam")),
        InfluxPoints.machineState(state(T0 + 2_400_000, MachineState.PRODUCING, null)));
    Park park = new YamlConfigLoader().parse(Path.of("park.yaml"), PARK, Park.class);
    vertx = Vertx.vertx();
    TestApi api = TestApi.builder(vertx, park).influx(influx.url()).start();
    base = api.base();
    token = api.token();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    influx.close();
  }

  private static HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Authorization", "Bearer " + token)
            .GET();
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static final String RANGE =
      "from="
          + URLEncoder.encode("2026-01-01T00:00:00Z", StandardCharsets.UTF_8)
          + "&to="
          + URLEncoder.encode("2026-01-01T02:00:00Z", StandardCharsets.UTF_8);

  @Test
  void machineHour_isComputedFromTheSumsOfItsMinutes() throws Exception {
    JsonObject body = new JsonObject(get("/api/v1/machines/cnc-07/oee?window=1h&" + RANGE).body());
    JsonObject hour = body.getJsonArray("points").getJsonObject(0);
    assertThat(hour.getString("start")).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(hour.getString("end")).isEqualTo("2026-01-01T01:00:00Z");
    assertThat(hour.getLong("plannedMs")).isEqualTo(120_000);
    // Run time 90 s of 120 s; 3 parts of 20 s ideal in it; 2 good of 3.
    assertThat(hour.getDouble("availability")).isCloseTo(0.75, within(1e-12));
    assertThat(hour.getDouble("performance")).isCloseTo(60.0 / 90, within(1e-12));
    assertThat(hour.getDouble("quality")).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(hour.getDouble("oee")).isCloseTo(40.0 / 120, within(1e-12));
    JsonObject losses = hour.getJsonObject("lossesMs");
    assertThat(losses.getDouble("smallStop")).isEqualTo(15_000.0);
    assertThat(losses.getDouble("plannedStop")).isEqualTo(30_000.0);
    assertThat(losses.getDouble("startupReject")).isEqualTo(20_000.0);
    assertThat(body.getString("scope")).isEqualTo("machine");
  }

  @Test
  void lineMinutes_andFactoryShifts_comeFromTheRollups() throws Exception {
    JsonObject line = new JsonObject(get("/api/v1/factories/zj/lines/smt-2/oee?" + RANGE).body());
    JsonObject minute = line.getJsonArray("points").getJsonObject(0);
    assertThat(minute.getDouble("oee")).isCloseTo(60_000.0 / 120_000, within(1e-12));
    assertThat(minute.getDouble("quality")).isCloseTo(60_000.0 / 90_000, within(1e-12));

    JsonObject shifts =
        new JsonObject(get("/api/v1/factories/zj/oee?window=shift&" + RANGE).body());
    JsonObject early = shifts.getJsonArray("points").getJsonObject(0);
    assertThat(early.getString("shift")).isEqualTo("early");
    assertThat(early.getString("end")).isEqualTo("2026-01-01T08:00:00Z");
    assertThat(early.getDouble("coverage")).isCloseTo(3_000_000.0 / 3_600_000, within(1e-12));
  }

  @Test
  void stateTimeline_startsWithTheStateInForceAtFrom() throws Exception {
    JsonArray states =
        new JsonObject(get("/api/v1/machines/cnc-07/states?" + RANGE).body())
            .getJsonArray("states");

    assertThat(states).hasSize(3);
    assertThat(states.getJsonObject(0))
        .isEqualTo(
            new JsonObject()
                .put("start", "2026-01-01T00:00:00Z")
                .put("end", "2026-01-01T00:30:00Z")
                .put("state", "producing")
                .putNull("reason"));
    assertThat(states.getJsonObject(1).getString("state")).isEqualTo("down");
    assertThat(states.getJsonObject(1).getString("reason")).isEqualTo("jam");
    assertThat(states.getJsonObject(1).getString("end")).isEqualTo("2026-01-01T00:40:00Z");
    assertThat(states.getJsonObject(2).getString("end")).isEqualTo("2026-01-01T02:00:00Z");
    HttpResponse<String> csv = get("/api/v1/machines/cnc-07/states?format=csv&" + RANGE);
    assertThat(csv.body().lines()).hasSize(4).first().asString().contains("state");
  }

  @Test
  void lossesAndPareto_largestReasonFirst() throws Exception {
    JsonObject body = new JsonObject(get("/api/v1/machines/cnc-07/losses?" + RANGE).body());
    JsonArray pareto = body.getJsonArray("pareto");
    assertThat(pareto.getJsonObject(0).getString("reason")).isEqualTo("changeover");
    assertThat(pareto.getJsonObject(1).getString("reason")).isEqualTo("jam");
    assertThat(pareto.getJsonObject(1).getLong("ms")).isEqualTo(20_000);
    assertThat(pareto.getJsonObject(0).getDouble("share")).isCloseTo(0.6, within(1e-12));
    assertThat(pareto.getJsonObject(1).getDouble("cumulativeShare")).isEqualTo(1.0);
    assertThat(body.getJsonObject("stateMs").getLong("setup")).isEqualTo(30_000);
    // The factory's Pareto sums its machines' reasons.
    JsonObject factory = new JsonObject(get("/api/v1/factories/zj/losses?" + RANGE).body());
    assertThat(factory.getJsonArray("pareto")).hasSize(2);
  }

  @Test
  void signal_isDownsampledToMaxPoints() throws Exception {
    JsonObject body =
        new JsonObject(
            get("/api/v1/machines/cnc-07/signals/spindle_load?maxPoints=60&" + RANGE).body());
    // Two hours in 60 buckets of 2 minutes: the four samples fall in one.
    assertThat(body.getLong("bucketMs")).isEqualTo(120_000);
    JsonArray points = body.getJsonArray("points");
    assertThat(points).hasSize(1);
    assertThat(points.getJsonObject(0).getDouble("mean")).isEqualTo(27.5);
    assertThat(points.getJsonObject(0).getDouble("max")).isEqualTo(50.0);
    assertThat(points.getJsonObject(0).getLong("count")).isEqualTo(4);
  }

  @Test
  void anomaliesAndGaps_filteredNewestFirst_andAsCsv() throws Exception {
    JsonArray all =
        new JsonObject(get("/api/v1/anomalies?" + RANGE).body()).getJsonArray("anomalies");
    assertThat(all).hasSize(3);
    // Newest first: the drift still going on has no end.
    assertThat(all.getJsonObject(0).getString("rule")).isEqualTo("drift");
    assertThat(all.getJsonObject(0).getValue("end")).isNull();
    assertThat(all.getJsonObject(0).getBoolean("ongoing")).isTrue();
    assertThat(all.getJsonObject(1).getString("rule")).isEqualTo("stuck");
    assertThat(all.getJsonObject(1).getString("end")).isEqualTo("2026-01-01T00:15:00Z");
    assertThat(all.getJsonObject(1).getBoolean("ongoing")).isFalse();
    JsonArray outliers =
        new JsonObject(get("/api/v1/anomalies?rule=outlier&machine=cnc-07&" + RANGE).body())
            .getJsonArray("anomalies");
    assertThat(outliers)
        .singleElement()
        .satisfies(a -> assertThat(((JsonObject) a).getString("message")).contains("jumped"));

    HttpResponse<String> csv = get("/api/v1/anomalies?" + RANGE, "Accept", "text/csv");
    assertThat(csv.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/csv"));
    String[] lines = csv.body().split("\n");
    assertThat(lines[0]).contains("machine").contains("rule").contains("message");
    assertThat(lines).hasSize(4);

    JsonArray gaps = new JsonObject(get("/api/v1/gaps?" + RANGE).body()).getJsonArray("gaps");
    assertThat(gaps)
        .singleElement()
        .satisfies(
            g -> {
              assertThat(((JsonObject) g).getLong("missing")).isEqualTo(3);
              assertThat(((JsonObject) g).getLong("session")).isEqualTo(17);
            });
  }

  @Test
  void oeeAsCsv_flattensTheLosses() throws Exception {
    HttpResponse<String> csv = get("/api/v1/machines/cnc-07/oee?format=csv&" + RANGE);
    String header = csv.body().split("\n")[0];
    assertThat(header).startsWith("start,end,availability").contains("lossesMs.smallStop");
    assertThat(csv.body().split("\n")).hasSize(3);
  }

  @Test
  void badParameters_areProblemsNamingThem() throws Exception {
    assertParameter(get("/api/v1/machines/cnc-07/oee?window=2h"), "window", "1m, 1h, day, shift");
    assertParameter(get("/api/v1/park/oee?window=shift"), "window", "use day");
    assertParameter(
        get("/api/v1/machines/cnc-07/signals/spindle_load?maxPoints=1"), "maxPoints", "2 to 10000");
    assertParameter(get("/api/v1/anomalies?rule=spike"), "rule", "outlier");
    assertParameter(get("/api/v1/anomalies?machine=cnc-99"), "machine", "cnc-99");
    assertParameter(get("/api/v1/anomalies?line=smt-2"), "line", "factory");
    assertParameter(get("/api/v1/gaps?format=xml"), "format", "json, csv");
    assertParameter(
        get(
            "/api/v1/machines/cnc-07/oee?from="
                + URLEncoder.encode("2026-01-01T00:00:00Z", StandardCharsets.UTF_8)
                + "&to="
                + URLEncoder.encode("2026-02-01T00:00:00Z", StandardCharsets.UTF_8)),
        "from",
        "7 days");
    assertThat(get("/api/v1/factories/zj/lines/nope/oee").statusCode()).isEqualTo(404);
    assertThat(get("/api/v1/factories/nope/oee").statusCode()).isEqualTo(404);
  }

  @Test
  void requestsAreCheckedAgainstTheOpenApiDocument() throws Exception {
    // The document's enumerations and ranges, with the value received.
    assertParameter(
        get("/api/v1/anomalies?limit=0"),
        "limit",
        "expected a whole number from 1 to 1000, got '0'");
    assertParameter(get("/api/v1/machines/cnc-07/states?to=soon"), "to", "ISO-8601 instant");
    // A body without a required property is refused before the handler sees it.
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/anomalies/acknowledge"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"machine\":\"cnc-07\",\"signal\":\"spindle_load\","
                            + "\"start\":\"2026-01-01T00:00:10Z\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertParameter(r, "body", "rule");
  }

  private static void assertParameter(HttpResponse<String> r, String parameter, String detail) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
    JsonObject problem = new JsonObject(r.body());
    assertThat(problem.getString("parameter")).isEqualTo(parameter);
    assertThat(problem.getString("detail")).contains(detail);
  }
}
