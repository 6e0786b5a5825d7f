package io.gemba.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.gemba.api.Browser;
import io.gemba.connect.BrokerEndpoint;
import io.gemba.connect.Identities;
import io.gemba.connect.MqttConnect;
import io.gemba.connect.TlsFiles;
import io.gemba.connect.TlsSockets;
import io.gemba.deploy.bench.IndependentLoss;
import io.gemba.model.oee.MachineOee;
import io.gemba.model.storage.Schema;
import io.gemba.services.LocalServices;
import io.gemba.services.plant.InfluxAccounts;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * One value's whole journey on real services, secured as a plant's (TLS and a user of its own for
 * every part, the shipped broker ACLs, InfluxDB with authentication): Milo server and Modbus TCP
 * server (simulators) → edge agent → mosquitto → Flink MiniCluster → influxd → Vert.x API. Every
 * closed minute the platform saw completely must equal the simulator's ground truth.
 */
class EndToEndIT {

  private static final double SPEED = 6;
  private static final int MINUTES = 3;
  private static final double TOLERANCE = StoredMinutes.TOLERANCE;

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void storedOeeOfEveryClosedMinute_equalsGroundTruth() throws Exception {
    Path parkFile = Path.of(EndToEndIT.class.getResource("/e2e-park.yaml").toURI());
    try (LocalPark park = LocalPark.start(new LocalPark.Options(dir, parkFile, 0, SPEED, 42))) {
      long origin = park.simulation().clock().origin();
      String from = Instant.ofEpochMilli(origin - 60_000).toString();
      // Before any minute closes: every minute compared below closed while it happened.
      int madeUp = hostileGateway(park);

      for (String machine : List.of("cnc-07", "cnc-01", "st-02", "imm-01")) {
        await()
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofSeconds(1))
            .until(() -> StoredMinutes.fullyCovered(points(park, machine, from)).size() >= MINUTES);
      }

      long partsCompared = 0;
      long stopsCompared = 0;
      for (String machine : List.of("cnc-07", "cnc-01", "st-02", "imm-01")) {
        JsonArray points = points(park, machine, from);
        List<JsonObject> covered = StoredMinutes.fullyCovered(points);
        assertThat(points.size() - covered.size())
            .as("only the minute in which the agent first read %s may be partly seen", machine)
            .isLessThanOrEqualTo(1);
        for (JsonObject point : covered) {
          long start = Instant.parse(point.getString("start")).toEpochMilli();
          MachineOee truth = park.simulation().truth(machine, start).orElseThrow();
          StoredMinutes.assertMatches(point, truth);
          StoredMinutes.assertTimesAndReasons(park, machine, point.getString("start"), truth);
          partsCompared += truth.inputs().totalCount();
          stopsCompared += truth.stopReasons().size();
        }
      }
      assertThat(partsCompared).as("the compared minutes produced parts").isPositive();
      assertThat(stopsCompared).as("the compared minutes had stops with reasons").isPositive();

      // The park rollup of every minute in which all five machines were fully seen equals the
      // sum of their true times and counts.
      List<String> machines = List.of("cnc-07", "cnc-01", "st-01", "st-02", "imm-01");
      int rollupsCompared = 0;
      for (JsonObject point : StoredMinutes.fullyCovered(points(park, "cnc-07", from))) {
        long start = Instant.parse(point.getString("start")).toEpochMilli();
        InfluxRows.Row row = rollupRow(park, "park", "e2e-park", point.getString("start"));
        if (row == null
            || row.number(Schema.COVERAGE) == null
            || row.number(Schema.COVERAGE) != 1.0) {
          continue;
        }
        TruthSums sum = TruthSums.ZERO;
        for (String machine : machines) {
          sum = sum.add(TruthSums.of(park.simulation().truth(machine, start).orElseThrow()));
        }
        List<Long> stored = new ArrayList<>();
        for (String field :
            List.of(
                Schema.PLANNED_MS,
                Schema.RUN_MS,
                Schema.KNOWN_PLANNED_MS,
                Schema.TOTAL_COUNT,
                Schema.GOOD_COUNT,
                Schema.PRODUCING_MS,
                Schema.IDLE_MS,
                Schema.DOWN_MS,
                Schema.SETUP_MS,
                Schema.PLANNED_STOP_MS,
                Schema.SMALL_STOP_MS)) {
          stored.add(row.whole(field));
        }
        assertThat(stored)
            .as(
                "park planned, run, known, total, good, producing, idle, down, setup, planned stop,"
                    + " small stop ms at %s",
                start)
            .containsExactly(
                sum.plannedMs(),
                sum.runMs(),
                sum.knownPlannedMs(),
                sum.totalCount(),
                sum.goodCount(),
                sum.producingMs(),
                sum.idleMs(),
                sum.downMs(),
                sum.setupMs(),
                sum.plannedStopMs(),
                sum.smallStopMs());
        assertThat(row.number(Schema.OEE_FIGURE))
            .as("park oee at %s", start)
            .isCloseTo(sum.oee(), within(TOLERANCE));
        rollupsCompared++;
      }
      // Every minute cnc-07 was fully seen but the first may lack another machine's first read.
      assertThat(rollupsCompared).as("park minutes fully seen").isGreaterThanOrEqualTo(MINUTES - 1);

      hostileGatewayContained(park, madeUp);
      independentCountFindsADroppedReading(park);
      dashboardOpensOnTheLiveParkOverview(park);

      // The chain ran secured: an outsider without credentials is refused everywhere.
      List<SecurityCheck.Result> checks = park.securityCheck();
      assertThat(checks)
          .hasSize(5)
          .allSatisfy(c -> assertThat(c.refused()).as(c.attempt()).isTrue());

      publishGarbage(park);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> rejectedReasons(park).stream().anyMatch(r -> r.contains("not valid JSON")));
      assertThat(park.agents()).allSatisfy(a -> assertThat(a.envelopesDropped()).isZero());
    }
  }

  /**
   * The address the demo prints opens, in headless Chromium, on the park overview signed in as the
   * park operator, with the park's live OEE minute from the KPI job and its two factories ranked.
   */
  private void dashboardOpensOnTheLiveParkOverview(LocalPark park) throws Exception {
    try (Browser browser =
        new Browser(Files.createTempDirectory(dir, "chromium"), Path.of("target", "screenshots"))) {
      browser.driver.get(park.dashboardUrl());
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> browser.driver.getCurrentUrl().endsWith("#/park"));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> browser.text("#park-kpis [data-kpi=availability] .value").endsWith("%"));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> browser.count("#factories tbody tr[data-factory]") == 2);
      assertThat(browser.text("#park-minute")).contains("reporting");
      assertThat(browser.consoleProblems()).isEmpty();
      browser.screenshot("e2e-park");
    }
  }

  /** One request to {@code /query} of the demo's InfluxDB, as {@code user}; POST for changes. */
  private static HttpResponse<String> influxRequest(
      LocalPark park, String user, String parameters, boolean post) throws Exception {
    HttpClient https =
        HttpClient.newBuilder()
            .sslContext(
                TlsSockets.context(
                        "test", new TlsFiles(park.services().secrets().caFile(), null, null))
                    .context())
            .build();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create(
                    park.services().influx().url()
                        + "/query?db="
                        + LocalServices.DATABASE
                        + "&"
                        + parameters))
            .header("Authorization", park.services().influx().basicAuthorization(user));
    if (post) {
      request.POST(HttpRequest.BodyPublishers.noBody());
    }
    return https.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonArray points(LocalPark park, String machine, String from) throws Exception {
    return StoredMinutes.points(http, park, machine, from);
  }

  private static List<InfluxRows.Row> influx(LocalPark park, String query) {
    return StoredMinutes.influx(park, query);
  }

  /** The value of every forged reading: none may be stored. */
  private static final double FORGED = 666.25;

  /** Made-up signal names the hostile gateway sends for its own machine. */
  private static final int MADE_UP_SIGNALS = 3_000;

  /** Refusals of whole messages the hostile gateway causes (see {@link #hostileGateway}). */
  private static final int HOSTILE_MESSAGES_REFUSED = 7;

  /**
   * The gateway of jq-autoparts turns hostile, with its own credentials (its agent's uplink gives
   * way and reconnects): readings stamped in 2100 and in 1980, readings for zj-electronics' cnc-07
   * on its own topic and on zj-electronics' topic, an envelope claiming zj-electronics' gateway
   * (with a jump in its numbers), 3,000 made-up signal names, a name with a newline, a 64 KB
   * reason, a gateway id with a newline, and an infinite value. Returns the made-up names sent.
   */
  private static int hostileGateway(LocalPark park) throws Exception {
    BrokerEndpoint gateway = park.services().broker().endpoint(Identities.gateway("jq-autoparts"));
    MqttClient client = new MqttClient(gateway.broker(), "e2e-hostile", new MemoryPersistence());
    client.connect(MqttConnect.options(gateway, "test"));
    long now = System.currentTimeMillis();
    String own = "gemba/v1/jq-autoparts/machining-1/cnc-01/telemetry";
    String ownMachine = "{\"factory\":\"jq-autoparts\",\"line\":\"machining-1\",\"id\":\"cnc-01\"}";
    long year2100 = Instant.parse("2100-01-01T00:00:00Z").toEpochMilli();
    long year1980 = Instant.parse("1980-01-01T00:00:00Z").toEpochMilli();
    List<String[]> messages = new ArrayList<>();
    // Out of time: refused per reading (2 readings each), counted, no watermark moved.
    messages.add(
        new String[] {
          own,
          envelope(
              1,
              now,
              ownMachine,
              value("spindle_speed", year2100, FORGED)
                  + ","
                  + value("spindle_load", year2100, FORGED),
              "\"states\":[]")
        });
    messages.add(
        new String[] {
          own,
          envelope(
              2,
              now,
              ownMachine,
              value("spindle_speed", year1980, FORGED)
                  + ","
                  + value("spindle_load", year1980 + 1, FORGED),
              "\"states\":[]")
        });
    // Another factory's machine, on its own topic: refused by the job.
    String cnc07AsJq = "{\"factory\":\"jq-autoparts\",\"line\":\"machining-1\",\"id\":\"cnc-07\"}";
    messages.add(
        new String[] {
          "gemba/v1/jq-autoparts/machining-1/cnc-07/telemetry",
          envelope(
              3,
              now,
              cnc07AsJq,
              value("spindle_speed", now, FORGED),
              "\"states\":[{\"ts\":" + now + ",\"state\":\"down\"}]")
        });
    // Another factory's machine on that factory's topic: the broker does not let it through.
    String cnc07 = "{\"factory\":\"zj-electronics\",\"line\":\"smt-2\",\"id\":\"cnc-07\"}";
    messages.add(
        new String[] {
          "gemba/v1/zj-electronics/smt-2/cnc-07/telemetry",
          envelope(
              4,
              now,
              cnc07,
              value("spindle_speed", now, FORGED),
              "\"states\":[{\"ts\":" + now + ",\"state\":\"down\"}]")
        });
    // Another gateway's id, with a jump in its numbers that would be a gap of 999 envelopes.
    for (long seq : new long[] {0, 1000}) {
      messages.add(
          new String[] {
            own,
            envelope(seq, now, ownMachine, value("spindle_speed", now, FORGED), "\"states\":[]")
                .replace("\"gateway\":\"gw-jq-autoparts\"", "\"gateway\":\"gw-zj-electronics\"")
          });
    }
    // Made-up signal names, 1,000 per envelope (about 80 KB each).
    for (int e = 0; e < MADE_UP_SIGNALS / 1_000; e++) {
      StringBuilder values = new StringBuilder();
      for (int i = 0; i < 1_000; i++) {
        values.append(i == 0 ? "" : ",").append(value("made_up_" + (e * 1_000 + i), now + i, 777));
      }
      messages.add(
          new String[] {own, envelope(5 + e, now, ownMachine, values.toString(), "\"states\":[]")});
    }
    // Malformed: refused whole.
    messages.add(
        new String[] {
          own, envelope(8, now, ownMachine, value("bad\\nname", now, FORGED), "\"states\":[]")
        });
    messages.add(
        new String[] {
          own,
          envelope(
              9,
              now,
              ownMachine,
              value("spindle_speed", now, FORGED),
              "\"states\":[{\"ts\":"
                  + now
                  + ",\"state\":\"down\",\"reason\":\""
                  + "x".repeat(64 * 1024)
                  + "\"}]")
        });
    messages.add(
        new String[] {
          own,
          envelope(10, now, ownMachine, value("spindle_speed", now, FORGED), "\"states\":[]")
              .replace("\"gateway\":\"gw-jq-autoparts\"", "\"gateway\":\"gw-jq\\nautoparts\"")
        });
    messages.add(
        new String[] {
          own,
          envelope(
              11,
              now,
              ownMachine,
              value("spindle_speed", now, 1).replace("\"value\":1.0", "\"value\":1e400"),
              "\"states\":[]")
        });
    for (String[] m : messages) {
      try {
        client.publish(m[0], m[1].getBytes(StandardCharsets.UTF_8), 1, false);
      } catch (org.eclipse.paho.mqttv5.common.MqttException refused) {
        // The broker refused the other factory's topic: as it should.
      }
    }
    client.disconnect();
    client.close();
    return MADE_UP_SIGNALS;
  }

  private static String envelope(
      long seq, long sentAt, String machine, String values, String states) {
    return "{\"v\":2,\"gateway\":\"gw-jq-autoparts\",\"session\":7,\"seq\":"
        + seq
        + ",\"sentAt\":"
        + sentAt
        + ",\"machine\":"
        + machine
        + ",\"values\":["
        + values
        + "],"
        + states
        + "}";
  }

  private static String value(String signal, long ts, double value) {
    return "{\"signal\":\""
        + signal
        + "\",\"ts\":"
        + ts
        + ",\"value\":"
        + value
        + ",\"quality\":\"good\"}";
  }

  /**
   * What the hostile gateway sent is contained: nothing forged is stored, no reading from the
   * future, no gap in the other gateway's numbers, the machine's signals stay under the park's cap,
   * and every refusal is counted once: seven whole messages, the four out-of-time readings, and
   * each made-up reading that did not get one of the cap's places.
   */
  private void hostileGatewayContained(LocalPark park, int madeUp) throws Exception {
    assertThat(single(park, "SELECT count(value) FROM telemetry WHERE value = " + FORGED))
        .as("forged readings stored")
        .isZero();
    assertThat(single(park, "SELECT count(value) FROM telemetry WHERE time > now() + 1h"))
        .as("readings from the future")
        .isZero();
    assertThat(single(park, "SELECT count(quality) FROM machine_state WHERE time > now() + 1h"))
        .isZero();
    assertThat(
            single(park, "SELECT count(value) FROM telemetry WHERE time < '2000-01-01T00:00:00Z'"))
        .as("readings from 1980")
        .isZero();
    assertThat(
            single(
                park,
                "SELECT count(score) FROM anomalies WHERE machine = 'cnc-07' AND factory <> 'zj-electronics'"))
        .isZero();
    // The claimed gateway's numbers (0, then 1000) never reached the gap detection; the real
    // agents' sessions lost nothing; the hostile session (7) misses the envelope the broker
    // refused (4); envelope 3 (another factory's machine, on its own topic) arrived and was
    // refused by the job, which is no gap.
    assertThat(single(park, "SELECT sum(missing) FROM gaps WHERE session <> 7"))
        .as("envelopes missing from the real gateways")
        .isZero();
    // (reported once they stayed missing for the job's gap grace, a minute)
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () ->
                assertThat(single(park, "SELECT sum(missing) FROM gaps WHERE session = 7"))
                    .as("envelopes missing from the hostile session")
                    .isEqualTo(1));
    // cnc-01 declares 8 signals in e2e-park.yaml; the cap is 20: 12 made-up names get a place.
    long madeUpStored =
        tagValues(
            park,
            "SHOW TAG VALUES FROM telemetry WITH KEY = signal WHERE machine = 'cnc-01' AND signal"
                + " =~ /^made_up_/");
    assertThat(madeUpStored).as("made-up names stored").isEqualTo(20 - 8);
    assertThat(
            tagValues(
                park, "SHOW TAG VALUES FROM telemetry WITH KEY = signal WHERE machine = 'cnc-01'"))
        .as("signal names of cnc-01")
        .isEqualTo(20);
    assertThat(
            single(
                park,
                "SELECT count(quality) FROM machine_state WHERE machine = 'cnc-07' AND factory <>"
                    + " 'zj-electronics'"))
        .isZero();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        single(
                            park,
                            "SELECT sum(readings) FROM rejected_messages WHERE reason =~ /signal"
                                + " readings refused/"))
                    .as("made-up readings refused")
                    .isEqualTo(madeUp - madeUpStored));
    assertThat(
            single(
                park,
                "SELECT count(bytes) FROM rejected_messages WHERE reason !~ /signal readings refused/"))
        .as("whole messages and out-of-time envelopes refused")
        .isEqualTo(HOSTILE_MESSAGES_REFUSED + 2);
    assertThat(
            single(
                park,
                "SELECT sum(readings) FROM rejected_messages WHERE reason =~ /readings refused: source time/"))
        .as("readings out of time")
        .isEqualTo(4);
  }

  /**
   * The whole-park harness's independent loss count (the values the simulated OPC UA machines
   * exposed, by their own count, against the values stored) finds one stored reading deleted behind
   * the platform's back: exactly one more lost than before.
   */
  private void independentCountFindsADroppedReading(LocalPark park) throws Exception {
    List<String> machines = List.of("cnc-07", "cnc-01");
    long now = park.simulation().clock().now();
    // Two whole minutes of source time that closed a while ago, so all of them is stored.
    long to = Math.floorDiv(now, 60_000) * 60_000 - 60_000;
    long from = to - 120_000;
    Map<String, Long> exposed = new TreeMap<>();
    for (String m : machines) {
      exposed.put(m, park.simulation().exposedValues().count(m, from, to));
    }
    assertThat(exposed.values()).as("values exposed").allSatisfy(n -> assertThat(n).isPositive());
    String stored = IndependentLoss.storedQuery(machines, from, to);
    long before = IndependentLoss.lost(exposed, single(park, stored));
    LoggerFactory.getLogger(EndToEndIT.class)
        .info("independent count exposed={} lost={}", exposed, before);

    InfluxRows.Row one =
        influx(
                park,
                "SELECT value, signal FROM telemetry WHERE machine = 'cnc-07' AND time >= "
                    + from
                    + "ms AND time < "
                    + to
                    + "ms LIMIT 1")
            .get(0);
    HttpResponse<String> deleted =
        influxAdmin(
            park,
            "DELETE FROM telemetry WHERE machine = 'cnc-07' AND signal = '"
                + one.string("signal")
                + "' AND time = '"
                + one.string("time")
                + "'");
    assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);

    long after = IndependentLoss.lost(exposed, single(park, stored));
    assertThat(after - before).as("readings found lost after deleting one").isEqualTo(1);
  }

  /** One InfluxQL statement as InfluxDB's admin (a POST, as changes need). */
  private HttpResponse<String> influxAdmin(LocalPark park, String statement) throws Exception {
    return influxRequest(
        park,
        InfluxAccounts.ADMIN,
        "q=" + URLEncoder.encode(statement, StandardCharsets.UTF_8),
        true);
  }

  /** The single number a query returns (0 when it returns no series). */
  private long single(LocalPark park, String influxQl) {
    try (InfluxRows rows =
        InfluxRows.of(park.services().influx().endpoint(Identities.API), LocalServices.DATABASE)) {
      return rows.count(influxQl);
    }
  }

  /** How many tag values a {@code SHOW TAG VALUES} query returns. */
  private long tagValues(LocalPark park, String influxQl) {
    return influx(park, influxQl).size();
  }

  /**
   * Publishes a truncated envelope as the factory's gateway (the only user the broker lets write
   * its telemetry; its agent's uplink gives way for a moment and reconnects).
   */
  private static void publishGarbage(LocalPark park) throws Exception {
    BrokerEndpoint gateway =
        park.services().broker().endpoint(Identities.gateway("zj-electronics"));
    MqttClient client = new MqttClient(gateway.broker(), "e2e-garbage", new MemoryPersistence());
    client.connect(MqttConnect.options(gateway, "test"));
    client.publish(
        "gemba/v1/zj-electronics/smt-2/cnc-07/telemetry",
        "{\"v\":1,\"gateway\":".getBytes(StandardCharsets.UTF_8),
        1,
        false);
    client.disconnect();
    client.close();
  }

  /** One rollup minute as stored, or null when there is none. */
  private InfluxRows.Row rollupRow(LocalPark park, String scope, String id, String start) {
    List<InfluxRows.Row> rows =
        influx(
            park,
            "SELECT * FROM oee_rollup WHERE scope = '"
                + scope
                + "' AND id = '"
                + id
                + "' AND time = '"
                + start
                + "'");
    return rows.isEmpty() ? null : rows.get(0);
  }

  private List<String> rejectedReasons(LocalPark park) {
    return influx(park, "SELECT reason FROM rejected_messages").stream()
        .map(r -> r.string("reason"))
        .toList();
  }
}
