package io.gemba.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gemba.model.oee.MachineOee;
import io.gemba.testkit.TcpProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 60 s network partition between a gateway and its machines' OPC UA server, on the whole secured
 * chain (simulators → relay → edge agent → mosquitto → KPI job → InfluxDB → API): while it lasts,
 * the job's event time moves on with the line stations and closes the outage's minutes without
 * cnc-07; after it, the agent reads the gap back from the server's history and the job's late-data
 * path stores those minutes again. Every minute of the outage then has full coverage and equals the
 * ground truth: times, counts, figures, stop reasons.
 */
class OutageBackfillIT {

  private static final double SPEED = 6;

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aMinuteLongPartition_isReadBack_andItsMinutesEqualTheTruth() throws Exception {
    Path parkFile = Path.of(OutageBackfillIT.class.getResource("/outage-park.yaml").toURI());
    AtomicReference<TcpProxy> relay = new AtomicReference<>();
    LocalPark.Options options =
        new LocalPark.Options(
            dir,
            parkFile,
            0,
            SPEED,
            23,
            endpoint -> {
              URI server = URI.create(endpoint);
              try {
                relay.set(TcpProxy.start(server.getHost(), server.getPort()));
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
              return "opc.tcp://127.0.0.1:" + relay.get().port() + server.getPath();
            });
    try (LocalPark park = LocalPark.start(options)) {
      long origin = park.simulation().clock().origin();
      String from = Instant.ofEpochMilli(origin - 60_000).toString();
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> StoredMinutes.fullyCovered(minutes(park, from)).size() >= 2);

      relay.get().cut();
      long cutAt = park.simulation().clock().now();
      Thread.sleep(60_000);
      long restoredAt = park.simulation().clock().now();
      relay.get().restore();

      long firstOutageMinute = cutAt - cutAt % 60_000;
      long lastOutageMinute = restoredAt - restoredAt % 60_000;
      await()
          .atMost(Duration.ofSeconds(180))
          .pollInterval(Duration.ofSeconds(2))
          .until(
              () ->
                  outageMinutes(park, from, firstOutageMinute, lastOutageMinute).size()
                      == (lastOutageMinute - firstOutageMinute) / 60_000 + 1);

      List<JsonObject> outage = outageMinutes(park, from, firstOutageMinute, lastOutageMinute);
      assertThat(outage).as("minutes the partition touched").hasSizeGreaterThanOrEqualTo(5);
      long parts = 0;
      for (JsonObject point : outage) {
        long start = Instant.parse(point.getString("start")).toEpochMilli();
        MachineOee truth = park.simulation().truth("cnc-07", start).orElseThrow();
        StoredMinutes.assertMatches(point, truth);
        StoredMinutes.assertTimesAndReasons(park, "cnc-07", point.getString("start"), truth);
        parts += truth.inputs().totalCount();
      }
      assertThat(parts).as("parts made during the partition").isPositive();
    } finally {
      if (relay.get() != null) {
        relay.get().close();
      }
    }
  }

  private JsonArray minutes(LocalPark park, String from) throws Exception {
    return StoredMinutes.points(http, park, "cnc-07", from);
  }

  /** The fully covered minutes of cnc-07 from {@code first} to {@code last}, both included. */
  private List<JsonObject> outageMinutes(LocalPark park, String from, long first, long last)
      throws Exception {
    List<JsonObject> out = new ArrayList<>();
    for (JsonObject point : StoredMinutes.fullyCovered(minutes(park, from))) {
      long start = Instant.parse(point.getString("start")).toEpochMilli();
      if (start >= first && start <= last) {
        out.add(point);
      }
    }
    return out;
  }
}
