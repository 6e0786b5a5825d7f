package io.gemba.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.gemba.jobs.influx.InfluxPoints;
import io.gemba.jobs.records.OeeMinute;
import io.gemba.model.asset.MachineState;
import io.gemba.model.asset.Park;
import io.gemba.model.config.YamlConfigLoader;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API on port 0 against a real influxd holding points in the KPI job's schema. */
class ApiIT {

  private static final String PARK =
      """
      id: test-park
      name: Test park
      factories:
        - id: zj-electronics
          timeZone: Asia/Shanghai
          lines:
            - id: smt-2
              machines:
                - id: cnc-07
                  kind: cnc
                  idealCycleSeconds: 20
                  signals: [ { name: spindle_speed, unit: rpm } ]
      """;

  private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

  @TempDir static Path dir;
  static InfluxDatabase influx;
  static Vertx vertx;
  static String base;
  static String token;
  static List<String> apiPaths;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    influx = TestApi.influx(dir.resolve("influx"));
    TestApi.write(
        influx.url(),
        // 45 s producing and 2 parts of 20 s in the first minute: A 0.75, P 40/45, Q 1.
        InfluxPoints.oee(
            new OeeMinute(
                "zj-electronics",
                "smt-2",
                "cnc-07",
                T0,
                T0 + 60_000,
                60_000,
                45_000,
                60_000,
                2,
                2,
                20_000,
                new StateTimes(45_000, 0, 15_000, 0, 0, 0),
                0,
                new TreeMap<>())),
        // A minute without parts: quality and performance undefined, so not stored.
        InfluxPoints.oee(
            new OeeMinute(
                "zj-electronics",
                "smt-2",
                "cnc-07",
                T0 + 60_000,
                T0 + 120_000,
                60_000,
                0,
                60_000,
                0,
                0,
                20_000,
                new StateTimes(0, 0, 60_000, 0, 0, 0),
                0,
                new TreeMap<>())),
        TestApi.state(
            "zj-electronics",
            "smt-2",
            "cnc-07",
            System.currentTimeMillis() - 5_000,
            MachineState.DOWN,
            null),
        TestApi.signal(
            "zj-electronics",
            "smt-2",
            "cnc-07",
            "spindle_speed",
            System.currentTimeMillis() - 1_000,
            11980.5));
    Park park = new YamlConfigLoader().parse(Path.of("park.yaml"), PARK, Park.class);
    vertx = Vertx.vertx();
    TestApi api = TestApi.builder(vertx, park).influx(influx.url()).start();
    base = api.base();
    token = api.token();
    apiPaths = api.paths();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    influx.close();
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Authorization", "Bearer " + token)
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String q(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  @Test
  void health_reportsInfluxUp() throws Exception {
    HttpResponse<String> r = get("/health");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(r.body()).getString("influxdb")).isEqualTo("UP");
  }

  @Test
  void assets_returnTheHierarchy() throws Exception {
    JsonObject park = new JsonObject(get("/api/v1/assets").body());

    JsonObject machine =
        park.getJsonArray("factories")
            .getJsonObject(0)
            .getJsonArray("lines")
            .getJsonObject(0)
            .getJsonArray("machines")
            .getJsonObject(0);
    assertThat(park.getString("name")).isEqualTo("Test park");
    assertThat(machine.getString("id")).isEqualTo("cnc-07");
    assertThat(machine.getString("kind")).isEqualTo("cnc");
    assertThat(machine.getJsonArray("signals").getJsonObject(0).getString("unit")).isEqualTo("rpm");
  }

  @Test
  void oee_returnsStoredMinutesWithUndefinedFiguresAsNull() throws Exception {
    HttpResponse<String> r =
        get(
            "/api/v1/machines/cnc-07/oee?from="
                + q("2026-01-01T00:00:00Z")
                + "&to="
                + q("2026-01-01T00:05:00Z"));

    assertThat(r.statusCode()).isEqualTo(200);
    JsonArray points = new JsonObject(r.body()).getJsonArray("points");
    assertThat(points).hasSize(2);
    JsonObject first = points.getJsonObject(0);
    assertThat(first.getString("start")).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(first.getString("end")).isEqualTo("2026-01-01T00:01:00Z");
    assertThat(first.getDouble("oee")).isEqualTo(0.6666666666666666);
    assertThat(first.getLong("total")).isEqualTo(2);
    JsonObject second = points.getJsonObject(1);
    assertThat(second.getValue("quality")).isNull();
    assertThat(second.getDouble("oee")).isZero();
  }

  @Test
  void oee_rangeExcludesMinutesOutsideIt() throws Exception {
    HttpResponse<String> r =
        get(
            "/api/v1/machines/cnc-07/oee?from="
                + q("2026-01-01T00:01:00Z")
                + "&to="
                + q("2026-01-01T00:05:00Z"));

    assertThat(new JsonObject(r.body()).getJsonArray("points")).hasSize(1);
  }

  @Test
  void badInstant_isProblemNamingTheParameter() throws Exception {
    HttpResponse<String> r = get("/api/v1/machines/cnc-07/oee?from=yesterday");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
    JsonObject problem = new JsonObject(r.body());
    assertThat(problem.getString("parameter")).isEqualTo("from");
    assertThat(problem.getString("detail")).contains("ISO-8601").contains("yesterday");
  }

  @Test
  void reversedRange_isRejected() throws Exception {
    HttpResponse<String> r =
        get(
            "/api/v1/machines/cnc-07/oee?from="
                + q("2026-01-02T00:00:00Z")
                + "&to="
                + q("2026-01-01T00:00:00Z"));

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(r.body()).getString("detail")).contains("before");
  }

  @Test
  void unknownMachine_is404Problem() throws Exception {
    HttpResponse<String> r = get("/api/v1/machines/cnc-99/oee");

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(r.body()).getString("detail")).contains("cnc-99");
  }

  @Test
  void live_returnsLatestStateAndSignals() throws Exception {
    JsonObject live = new JsonObject(get("/api/v1/machines/cnc-07/live").body());

    assertThat(live.getString("state")).isEqualTo("down");
    JsonObject speed = live.getJsonObject("signals").getJsonObject("spindle_speed");
    assertThat(speed.getDouble("value")).isEqualTo(11980.5);
    assertThat(speed.getString("unit")).isEqualTo("rpm");
  }

  @Test
  void dashboard_isServedFromTheApi_withItsChartLibraryAndColourBands() throws Exception {
    HttpResponse<String> page = get("/dashboard/");
    HttpResponse<String> script = get("/dashboard/js/app.js");
    HttpResponse<String> uplot = get("/dashboard/vendor/uplot/uPlot.iife.min.js");
    HttpResponse<String> config = get("/dashboard/config.json");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<title>Gemba").contains("vendor/uplot/uPlot.iife.min.js");
    assertThat(script.body()).contains("/api/v1/assets");
    assertThat(uplot.statusCode()).isEqualTo(200);
    assertThat(uplot.body()).contains("uPlot");
    assertThat(new JsonObject(config.body()).getJsonObject("oeeBands"))
        .isEqualTo(new JsonObject().put("red", 0.65).put("green", 0.85));
  }

  @Test
  void me_namesTheTokensUserAndRole() throws Exception {
    JsonObject me = new JsonObject(get("/api/v1/me").body());

    assertThat(me.getString("name")).isEqualTo("ops");
    assertThat(me.getString("role")).isEqualTo("park-operator");
    assertThat(me.getBoolean("readsPark")).isTrue();
  }

  @Test
  void factoryStates_giveEveryMachineItsLatestState() throws Exception {
    JsonObject body = new JsonObject(get("/api/v1/factories/zj-electronics/states").body());

    JsonObject cnc = body.getJsonArray("machines").getJsonObject(0);
    assertThat(cnc.getString("machine")).isEqualTo("cnc-07");
    assertThat(cnc.getString("line")).isEqualTo("smt-2");
    assertThat(cnc.getString("state")).isEqualTo("down");
    assertThat(Instant.parse(cnc.getString("since"))).isAfter(Instant.now().minusSeconds(60));
    assertThat(get("/api/v1/factories/nowhere/states").statusCode()).isEqualTo(404);
  }

  @Test
  void openApiDocument_isServedOpenly_andDescribesEveryRoute() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/openapi.yaml")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(r.body());
    assertThat(doc.path("openapi").asText()).startsWith("3.");
    Set<String> documented = new HashSet<>();
    doc.path("paths").fieldNames().forEachRemaining(documented::add);
    assertThat(documented).containsAll(apiPaths);
    assertThat(apiPaths).contains("/api/v1/machines/{machineId}/oee", "/api/v1/live");
  }
}
