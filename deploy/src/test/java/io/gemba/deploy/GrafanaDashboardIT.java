package io.gemba.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemba.jobs.anomaly.Anomaly;
import io.gemba.jobs.influx.InfluxPoints;
import io.gemba.jobs.records.Gap;
import io.gemba.jobs.records.OeeMinute;
import io.gemba.jobs.records.RollupMinute;
import io.gemba.jobs.records.StopReasonMinute;
import io.gemba.model.oee.OeeTotals;
import io.gemba.model.oee.StateTimes;
import io.gemba.services.InfluxDatabase;
import io.gemba.testkit.InfluxRows;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.influxdb.dto.Point;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard in deploy/grafana is checked without Grafana: it is valid JSON with unique
 * panel ids, and every query in it, with Grafana's variables filled in, runs on a real influxd
 * holding points in the KPI job's schema and returns rows.
 */
class GrafanaDashboardIT {

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void everyQueryRunsOnTheKpiJobsSchema() throws Exception {
    JsonObject dashboard = new JsonObject(Files.readString(Path.of("grafana/gemba-oee.json")));
    List<String> queries = new ArrayList<>();
    Set<Integer> ids = new HashSet<>();
    for (Object p : dashboard.getJsonArray("panels")) {
      JsonObject panel = (JsonObject) p;
      assertThat(ids.add(panel.getInteger("id"))).as("unique panel id").isTrue();
      for (Object t : panel.getJsonArray("targets")) {
        queries.add(((JsonObject) t).getString("query"));
      }
    }
    for (Object v : dashboard.getJsonObject("templating").getJsonArray("list")) {
      JsonObject variable = (JsonObject) v;
      if ("query".equals(variable.getString("type"))) {
        queries.add(variable.getString("query"));
      }
    }
    assertThat(queries).hasSizeGreaterThanOrEqualTo(10);

    try (InfluxDatabase influx = InfluxDatabase.start(dir.resolve("influx"))) {
      influx.createDatabase("gemba");
      long t = System.currentTimeMillis() - 600_000;
      // Points as the KPI job maps them, so that the dashboard is checked against its names.
      OeeTotals minute =
          new OeeTotals(
              60_000,
              45_000,
              60_000,
              2,
              2,
              40_500,
              40_500,
              new StateTimes(45_000, 0, 15_000, 0, 0, 0),
              0);
      write(
          influx,
          InfluxPoints.oee(
              new OeeMinute(
                  "zj",
                  "l1",
                  "m1",
                  t,
                  t + 60_000,
                  60_000,
                  45_000,
                  60_000,
                  2,
                  2,
                  20_250,
                  new StateTimes(45_000, 0, 15_000, 0, 0, 0),
                  0,
                  new TreeMap<>())),
          InfluxPoints.rollup(new RollupMinute("park", "p", "", t, t + 60_000, minute, 1, 1)),
          InfluxPoints.rollup(new RollupMinute("factory", "zj", "zj", t, t + 60_000, minute, 1, 1)),
          InfluxPoints.stopReason(new StopReasonMinute("zj", "l1", "m1", t, "breakdown", 15_000)),
          InfluxPoints.anomaly(
              new Anomaly("zj", "l1", "m1", "load", "outlier", 9, t, t + 1_000, "load jumped")),
          InfluxPoints.gap(new Gap("gw", 1, 6, 8, t)));
      try (InfluxRows rows = InfluxRows.open(influx.url(), "gemba")) {
        for (String query : queries) {
          String filled =
              query
                  .replace("$timeFilter", "time > now() - 1h")
                  .replace("$factory", "zj")
                  .replace("$machine", "m1");
          // An error in the result is thrown.
          assertThat(rows.rows(filled)).as("rows of " + filled).isNotEmpty();
        }
      }
    }
  }

  private void write(InfluxDatabase influx, Point... points) throws Exception {
    List<String> lines = new ArrayList<>();
    for (Point p : points) {
      lines.add(p.lineProtocol());
    }
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(influx.url() + "/write?db=gemba"))
                .POST(HttpRequest.BodyPublishers.ofString(String.join("\n", lines)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
  }
}
