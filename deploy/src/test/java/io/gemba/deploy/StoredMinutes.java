package io.gemba.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemba.api.security.Role;
import io.gemba.connect.Identities;
import io.gemba.model.oee.MachineOee;
import io.gemba.model.oee.StateTimes;
import io.gemba.model.storage.Schema;
import io.gemba.services.LocalServices;
import io.gemba.sim.truth.TruthSums;
import io.gemba.testkit.InfluxRows;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The minutes a local park stored, read through the API and InfluxDB as a user would, and compared
 * with the simulators' ground truth by the truth's own arithmetic.
 */
final class StoredMinutes {

  static final double TOLERANCE = 1e-9;

  private StoredMinutes() {}

  static List<JsonObject> fullyCovered(JsonArray points) {
    List<JsonObject> out = new ArrayList<>();
    for (int i = 0; i < points.size(); i++) {
      Double coverage = points.getJsonObject(i).getDouble("coverage");
      if (coverage != null && coverage == 1.0) {
        out.add(points.getJsonObject(i));
      }
    }
    return out;
  }

  static void assertMatches(JsonObject point, MachineOee truth) {
    String at = point.getString("start");
    assertThat(point.getLong("plannedMs"))
        .as("plannedMs at %s", at)
        .isEqualTo(truth.inputs().plannedMs());
    assertThat(point.getLong("runMs")).as("runMs at %s", at).isEqualTo(truth.inputs().runMs());
    assertThat(point.getLong("total")).as("total at %s", at).isEqualTo(truth.inputs().totalCount());
    assertThat(point.getLong("good")).as("good at %s", at).isEqualTo(truth.inputs().goodCount());
    // The figures by the truth's own arithmetic, not the job's.
    TruthSums f = TruthSums.of(truth);
    assertFigure(point, "availability", f.availability());
    assertFigure(point, "performance", f.performance());
    assertFigure(point, "quality", f.quality());
    assertFigure(point, "oee", f.oee());
  }

  static void assertFigure(JsonObject point, String name, double expected) {
    Double actual = point.getDouble(name);
    if (Double.isNaN(expected)) {
      assertThat(actual).as("%s at %s is undefined", name, point.getString("start")).isNull();
    } else {
      assertThat(actual).as("%s at %s", name, point.getString("start")).isNotNull();
      assertThat(Math.abs(actual - expected))
          .as("%s at %s: stored %s, truth %s", name, point.getString("start"), actual, expected)
          .isLessThanOrEqualTo(TOLERANCE);
    }
  }

  /**
   * The minute's state times, small stops, startup rejects and stop time by reason, as stored in
   * InfluxDB, equal the truth: the reasons the simulated machines gave came through OPC UA or MQTT,
   * the agent and the job.
   */
  static void assertTimesAndReasons(LocalPark park, String machine, String start, MachineOee truth)
      throws Exception {
    InfluxRows.Row row =
        influx(
                park,
                "SELECT producing_ms, idle_ms, down_ms, setup_ms, planned_stop_ms, small_stop_ms,"
                    + " startup_rejects FROM oee WHERE machine = '"
                    + machine
                    + "' AND time = '"
                    + start
                    + "'")
            .get(0);
    StateTimes t = truth.times();
    assertThat(
            List.of(
                row.whole(Schema.PRODUCING_MS),
                row.whole(Schema.IDLE_MS),
                row.whole(Schema.DOWN_MS),
                row.whole(Schema.SETUP_MS)))
        .as("producing, idle, down, setup of %s at %s", machine, start)
        .isEqualTo(List.of(t.producingMs(), t.idleMs(), t.downMs(), t.setupMs()));
    assertThat(
            List.of(
                row.whole(Schema.PLANNED_STOP_MS),
                row.whole(Schema.SMALL_STOP_MS),
                row.whole(Schema.STARTUP_REJECTS)))
        .as("planned stop, small stops, startup rejects of %s at %s", machine, start)
        .isEqualTo(List.of(t.plannedStopMs(), t.smallStopMs(), truth.startupRejects()));
    Map<String, Long> reasons = new TreeMap<>();
    for (InfluxRows.Row r :
        influx(
            park,
            "SELECT reason, ms FROM stop_reasons WHERE machine = '"
                + machine
                + "' AND time = '"
                + start
                + "'")) {
      if (r.whole(Schema.MS) > 0) {
        reasons.put(r.string("reason"), r.whole(Schema.MS));
      }
    }
    assertThat(reasons)
        .as("stop reasons of %s at %s", machine, start)
        .isEqualTo(new TreeMap<>(truth.stopReasons()));
  }

  /**
   * The rows of an InfluxQL query to the demo's secured InfluxDB over HTTPS, as the API's read-only
   * user (the only way in: without credentials InfluxDB answers 401).
   */
  static List<InfluxRows.Row> influx(LocalPark park, String query) {
    try (InfluxRows rows =
        InfluxRows.of(park.services().influx().endpoint(Identities.API), LocalServices.DATABASE)) {
      return rows.rows(query);
    }
  }

  static JsonArray points(HttpClient http, LocalPark park, String machine, String from)
      throws Exception {
    // Simulated time runs ahead of the wall clock; ask up to the simulation's now.
    String to = Instant.ofEpochMilli(park.simulation().clock().now() + 60_000).toString();
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        park.apiUrl()
                            + "/api/v1/machines/"
                            + machine
                            + "/oee?from="
                            + URLEncoder.encode(from, StandardCharsets.UTF_8)
                            + "&to="
                            + URLEncoder.encode(to, StandardCharsets.UTF_8)))
                .header("Authorization", "Bearer " + park.token(Role.PARK_OPERATOR))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body()).getJsonArray("points");
  }
}
