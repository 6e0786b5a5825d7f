package io.gemba.deploy.bench;

import io.gemba.model.asset.Factory;
import io.gemba.model.asset.Park;
import io.gemba.services.LocalServices;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;

/**
 * How long readings of a load run take to reach InfluxDB and the dashboards' live stream. The
 * simulators' readings carry simulated time, which starts at {@code simOrigin} (their wall clock
 * then) and runs {@code speed} times as fast: a reading's wall-clock time is derived from it.
 */
final class LatencyProbes {

  static final HttpClient HTTP = HttpClient.newHttpClient();

  /** The KPI job's defaults: a minute closes when event time is this far past its end. */
  private static final long CLOSE_AFTER_MS = 2 * 60_000 + 5_000;

  private final Park park;
  private final long simOrigin;
  private final double speed;

  LatencyProbes(Park park, long simOrigin, double speed) {
    this.park = park;
    this.simOrigin = simOrigin;
    this.speed = speed;
  }

  long simTime(long wall) {
    return simOrigin + (long) ((wall - simOrigin) * speed);
  }

  /** The wall-clock time at which a reading with simulated timestamp {@code sim} was taken. */
  private long wallTime(long sim) {
    return simOrigin + (long) ((sim - simOrigin) / speed);
  }

  /**
   * Every 100 ms, the newest stored reading of one signal of a few machines: each new one is a
   * sample of the time from the sensor to InfluxDB.
   */
  void probeInflux(String influx, AtomicBoolean running, Histogram out) {
    List<String> machines = new ArrayList<>();
    park.placements().stream().limit(4).forEach(p -> machines.add(p.machine().id()));
    Map<String, Long> newest = new LinkedHashMap<>();
    while (running.get()) {
      for (String m : machines) {
        try {
          // Readings carry simulated time, ahead of the wall clock when the park runs faster:
          // bound the query by simulated now, not InfluxDB's now().
          long simNow = simTime(System.currentTimeMillis());
          JsonArray rows =
              rows(
                  influx,
                  "SELECT last(value) FROM telemetry WHERE machine = '"
                      + m
                      + "' AND time > "
                      + (simNow - 3_600_000)
                      + "ms AND time < "
                      + (simNow + 3_600_000)
                      + "ms");
          if (rows == null) {
            continue;
          }
          long ts = Instant.parse(rows.getJsonArray(0).getString(0)).toEpochMilli();
          long now = System.currentTimeMillis();
          Long previous = newest.put(m, ts);
          if (previous != null && ts > previous) {
            out.recordValue(Math.max(0, now - wallTime(ts)));
          }
        } catch (Exception e) {
          // a slow answer under load: probe again
        }
      }
      sleep(100);
    }
  }

  /**
   * The live stream of every line: each machine OEE minute that arrives is a sample of the time
   * from the reading that let the minute close (event time {@link #CLOSE_AFTER_MS} past its end) to
   * the dashboard.
   */
  void followLive(String api, String token, AtomicBoolean running, Histogram out) {
    Factory f = park.factories().get(0);
    String url =
        api
            + "/api/v1/live?scope=line&factory="
            + f.id()
            + "&id="
            + f.lines().get(0).id()
            + "&access_token="
            + URLEncoder.encode(token, StandardCharsets.UTF_8);
    try {
      HttpResponse<java.io.InputStream> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url)).build(),
              HttpResponse.BodyHandlers.ofInputStream());
      // On connecting the stream first replays the current figures: minutes that closed before.
      long connected = System.currentTimeMillis();
      try (BufferedReader reader =
          new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
        String event = "";
        for (String line = reader.readLine();
            line != null && running.get();
            line = reader.readLine()) {
          if (line.startsWith("event: ")) {
            event = line.substring(7);
          } else if (line.startsWith("data: ") && event.equals("oee")) {
            JsonObject m = new JsonObject(line.substring(6));
            long closedBy =
                wallTime(Instant.parse(m.getString("end")).toEpochMilli() + CLOSE_AFTER_MS);
            if (closedBy > connected && "machine".equals(m.getString("scope"))) {
              out.recordValue(Math.max(0, System.currentTimeMillis() - closedBy));
            }
          }
        }
      }
    } catch (IOException | InterruptedException e) {
      // the window ended
    }
  }

  private static JsonArray rows(String influx, String query) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        influx
                            + "/query?db="
                            + LocalServices.DATABASE
                            + "&q="
                            + URLEncoder.encode(query, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonArray results = new JsonObject(r.body()).getJsonArray("results");
    if (r.statusCode() != 200 || results == null || results.getJsonObject(0).containsKey("error")) {
      throw new IllegalStateException("InfluxDB refused '" + query + "': " + r.body());
    }
    JsonObject result = results.getJsonObject(0);
    JsonArray series = result.getJsonArray("series");
    return series == null ? null : series.getJsonObject(0).getJsonArray("values");
  }

  static long count(String influx, String query) throws Exception {
    JsonArray rows = rows(influx, query);
    return rows == null ? 0 : rows.getJsonArray(0).getNumber(1).longValue();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
