package io.gemba.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemba.services.InfluxDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard in deploy/grafana is checked without Grafana: it is valid JSON with unique
 * panel ids, and every query in it, with Grafana's variables filled in, runs on a real influxd
 * holding points in the KPI job's schema and returns rows.
 */
class GrafanaDashboardTest {

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
      write(
          influx,
          "oee,factory=zj,line=l1,machine=m1,window=1m availability=0.75,performance=0.9,"
              + "quality=1,oee=0.675,planned_ms=60000i,run_ms=45000i,known_planned_ms=60000i "
              + t * 1_000_000,
          "oee_rollup,scope=park,id=p,window=1m planned_ms=60000i,known_planned_ms=60000i,"
              + "fully_productive_ms=40500 "
              + t * 1_000_000,
          "oee_rollup,scope=factory,id=zj,factory=zj,window=1m planned_ms=60000i,"
              + "known_planned_ms=60000i,fully_productive_ms=40500,loss_unplanned_stop_ms=15000,"
              + "loss_planned_stop_ms=0,loss_small_stop_ms=0,loss_slow_cycle_ms=4500,"
              + "loss_production_reject_ms=0,loss_startup_reject_ms=0 "
              + t * 1_000_000,
          "stop_reasons,factory=zj,line=l1,machine=m1,reason=breakdown,window=1m ms=15000i "
              + t * 1_000_000,
          "anomalies,factory=zj,line=l1,machine=m1,signal=load,rule=outlier end_ms=1i,score=9,"
              + "message=\"load jumped\" "
              + t * 1_000_000,
          "gaps,gateway=gw from_seq=6i,to_seq=8i,missing=3i " + t * 1_000_000);
      for (String query : queries) {
        String filled =
            query
                .replace("$timeFilter", "time > now() - 1h")
                .replace("$factory", "zj")
                .replace("$machine", "m1");
        JsonObject result = query(influx, filled);
        assertThat(result.getString("error")).as(filled).isNull();
        assertThat(result.getJsonArray("series")).as("rows of " + filled).isNotNull().isNotEmpty();
      }
    }
  }

  private void write(InfluxDatabase influx, String... lines) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(influx.url() + "/write?db=gemba"))
                .POST(HttpRequest.BodyPublishers.ofString(String.join("\n", lines)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
  }

  private JsonObject query(InfluxDatabase influx, String q) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        influx.url()
                            + "/query?db=gemba&q="
                            + URLEncoder.encode(q, StandardCharsets.UTF_8)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonArray results = new JsonObject(r.body()).getJsonArray("results");
    return results.getJsonObject(0);
  }
}
