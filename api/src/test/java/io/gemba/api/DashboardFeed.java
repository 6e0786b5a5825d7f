package io.gemba.api;

import io.gemba.model.asset.Factory;
import io.gemba.model.asset.Line;
import io.gemba.model.asset.Machine;
import io.gemba.model.asset.Park;
import io.gemba.model.asset.Signal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;

/**
 * Plays the KPI job for the dashboards' browser tests: an hour of stored minutes, states, signals
 * and anomalies in InfluxDB, then every second new signal values (InfluxDB) and new live figures
 * (MQTT, on the job's topics), with a state change and an anomaly now and then. The figures are
 * random; the tests check that what the pages show moves with them.
 */
final class DashboardFeed implements AutoCloseable {

  private static final String[] STATES = {"producing", "idle", "down", "setup"};
  private static final String[] REASONS = {"", "no material", "jam", "changeover"};

  private final Park park;
  private final String influxUrl;
  private final MqttClient mqtt;
  private final Random random = new Random(7);
  private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
  private int tick;

  private DashboardFeed(Park park, String influxUrl, MqttClient mqtt) {
    this.park = park;
    this.influxUrl = influxUrl;
    this.mqtt = mqtt;
  }

  static DashboardFeed start(Park park, String influxUrl, String brokerUrl) throws Exception {
    MqttClient mqtt = new MqttClient(brokerUrl, "dashboard-feed", new MemoryPersistence());
    mqtt.connect(new MqttConnectionOptions());
    DashboardFeed feed = new DashboardFeed(park, influxUrl, mqtt);
    feed.history(System.currentTimeMillis());
    feed.ticks.scheduleAtFixedRate(feed::tickSafely, 0, 1, TimeUnit.SECONDS);
    return feed;
  }

  private static String ns(long ms) {
    return " " + ms * 1_000_000;
  }

  /** Rollups count the parts of many machines: a short ideal cycle keeps their OEE from steps. */
  private static final double ROLLUP_CYCLE_MS = 2_000;

  private String minuteFields(double idealCycleMs, boolean rollup) {
    long run = 30_000 + random.nextInt(30_001);
    long total = (long) (run / idealCycleMs * (0.6 + 0.4 * random.nextDouble()));
    long good = Math.max(0, total - random.nextInt(2));
    String f =
        "planned_ms=60000i,run_ms="
            + run
            + "i,known_planned_ms=60000i,total_count="
            + total
            + "i,good_count="
            + good
            + "i,producing_ms="
            + run
            + "i,idle_ms=0i,down_ms="
            + (60_000 - run)
            + "i,setup_ms=0i,planned_stop_ms=0i,small_stop_ms=0i";
    return rollup
        ? f
            + ",net_run_ms="
            + total * idealCycleMs
            + ",fully_productive_ms="
            + good * idealCycleMs
            + ",startup_reject_ms=0,machines=2i,reporting=2i"
        : f + ",startup_rejects=0i";
  }

  /** The last hour as the KPI job would have stored it. */
  private void history(long now) throws Exception {
    List<String> lines = new ArrayList<>();
    long firstMinute = (now / 60_000 - 60) * 60_000;
    // Twelve hours of factory minutes, for the park overview's trend.
    for (long t = firstMinute - 11 * 3_600_000L; t < firstMinute; t += 60_000) {
      for (Factory f : park.factories()) {
        lines.add(
            "oee_rollup,scope=factory,id="
                + f.id()
                + ",factory="
                + f.id()
                + ",window=1m "
                + minuteFields(ROLLUP_CYCLE_MS, true)
                + ns(t));
      }
    }
    for (long t = firstMinute; t < now - 60_000; t += 60_000) {
      lines.add(
          "oee_rollup,scope=park,id="
              + park.id()
              + ",window=1m "
              + minuteFields(ROLLUP_CYCLE_MS, true)
              + ns(t));
      for (Factory f : park.factories()) {
        lines.add(
            "oee_rollup,scope=factory,id="
                + f.id()
                + ",factory="
                + f.id()
                + ",window=1m "
                + minuteFields(ROLLUP_CYCLE_MS, true)
                + ns(t));
        for (Line l : f.lines()) {
          lines.add(
              "oee_rollup,scope=line,id="
                  + l.id()
                  + ",factory="
                  + f.id()
                  + ",window=1m "
                  + minuteFields(ROLLUP_CYCLE_MS, true)
                  + ns(t));
          for (Machine m : l.machines()) {
            lines.add(
                tags("oee", f, l, m)
                    + ",window=1m "
                    + minuteFields(m.idealCycleMs(), false)
                    + ns(t));
            if (random.nextInt(4) == 0) {
              lines.add(
                  tags("stop_reasons", f, l, m)
                      + ",reason="
                      + REASONS[1 + random.nextInt(3)].replace(" ", "\\ ")
                      + ",window=1m ms="
                      + (5_000 + random.nextInt(40_000))
                      + "i"
                      + ns(t));
            }
          }
        }
      }
    }
    for (Factory f : park.factories()) {
      for (Line l : f.lines()) {
        for (Machine m : l.machines()) {
          for (long t = now - 3_600_000; t < now; t += 420_000 + random.nextInt(120_000)) {
            lines.add(state(f, l, m, t));
          }
          for (long t = now - 900_000; t < now; t += 5_000) {
            for (Signal s : m.signals()) {
              lines.add(telemetry(f, l, m, s, t));
            }
          }
          Signal first = m.signals().get(0);
          lines.add(
              tags("anomalies", f, l, m)
                  + ",signal="
                  + first.name()
                  + ",rule=outlier end_ms="
                  + (now - 290_000)
                  + "i,duration_s=10,score=9,message=\""
                  + first.name()
                  + " jumped 9 times its usual step\""
                  + ns(now - 300_000));
        }
      }
    }
    TestApi.write(influxUrl, lines.toArray(String[]::new));
  }

  private static String tags(String measurement, Factory f, Line l, Machine m) {
    return measurement + ",factory=" + f.id() + ",line=" + l.id() + ",machine=" + m.id();
  }

  private String state(Factory f, Line l, Machine m, long t) {
    int i = random.nextInt(STATES.length);
    String reason = i == 0 ? "" : ",reason=\"" + REASONS[i] + "\"";
    return tags("machine_state", f, l, m) + " state=\"" + STATES[i] + "\"" + reason + ns(t);
  }

  private String telemetry(Factory f, Line l, Machine m, Signal s, long t) {
    double value = 50 + 10 * Math.sin(t / 20_000.0 + s.name().length()) + random.nextGaussian();
    return tags("telemetry", f, l, m)
        + ",signal="
        + s.name()
        + " value="
        + value
        + ",quality=\"good\""
        + ns(t);
  }

  private boolean paused;

  /**
   * Stops publishing after the tick in progress, so that what the dashboards show can be compared
   * with what the API holds.
   */
  synchronized void pause() {
    paused = true;
  }

  synchronized void resume() {
    paused = false;
  }

  private synchronized void tickSafely() {
    if (paused) {
      return;
    }
    try {
      tick();
    } catch (Exception e) {
      System.err.println("dashboard feed tick failed: " + e);
    }
  }

  private void tick() throws Exception {
    long now = System.currentTimeMillis();
    long minute = now / 60_000 * 60_000 - 60_000;
    tick++;
    List<String> lines = new ArrayList<>();
    publish("gemba/v1/kpi/oee", figures("park", park.id(), minute, minute + 60_000, ""));
    for (Factory f : park.factories()) {
      String fid = ",\"factory\":\"" + f.id() + "\"";
      publish(
          "gemba/v1/" + f.id() + "/kpi/oee",
          figures("factory", f.id(), minute, minute + 60_000, fid));
      publish("gemba/v1/" + f.id() + "/kpi/oee_shift", shift("factory", f.id(), now, fid));
      for (Line l : f.lines()) {
        String base = "gemba/v1/" + f.id() + "/" + l.id();
        publish(base + "/kpi/oee", figures("line", l.id(), minute, minute + 60_000, fid));
        publish(base + "/kpi/oee_shift", shift("line", l.id(), now, fid));
        for (Machine m : l.machines()) {
          String ml = fid + ",\"line\":\"" + l.id() + "\"";
          publish(
              base + "/" + m.id() + "/kpi/oee",
              figures("machine", m.id(), minute, minute + 60_000, ml));
          publish(base + "/" + m.id() + "/kpi/oee_shift", shift("machine", m.id(), now, ml));
          for (Signal s : m.signals()) {
            lines.add(telemetry(f, l, m, s, now));
          }
          if (tick % 5 == 0 && random.nextBoolean()) {
            lines.add(state(f, l, m, now));
          }
          if (tick % 7 == 0) {
            Signal s = m.signals().get(0);
            publish(
                base + "/" + m.id() + "/kpi/anomaly",
                String.format(
                    Locale.ROOT,
                    "{\"factory\":\"%s\",\"line\":\"%s\",\"machine\":\"%s\",\"signal\":\"%s\","
                        + "\"rule\":\"shift\",\"score\":7.5,\"start\":\"%s\",\"end\":\"%s\","
                        + "\"message\":\"%s moved to a new level\"}",
                    f.id(),
                    l.id(),
                    m.id(),
                    s.name(),
                    java.time.Instant.ofEpochMilli(now - 6_000),
                    java.time.Instant.ofEpochMilli(now - 1_000),
                    s.name()));
          }
        }
      }
    }
    TestApi.write(influxUrl, lines.toArray(String[]::new));
  }

  private String figures(String scope, String id, long start, long end, String extra) {
    double a = 0.55 + 0.45 * random.nextDouble();
    double p = 0.6 + 0.4 * random.nextDouble();
    double q = 0.9 + 0.1 * random.nextDouble();
    return String.format(
        Locale.ROOT,
        "{\"scope\":\"%s\",\"id\":\"%s\",\"start\":\"%s\",\"end\":\"%s\",\"availability\":%.4f,"
            + "\"performance\":%.4f,\"quality\":%.4f,\"oee\":%.4f,\"coverage\":1.0,"
            + "\"plannedMs\":60000,\"runMs\":%d,\"knownPlannedMs\":60000,\"total\":%d,\"good\":%d,"
            + "\"lossesMs\":{\"unplannedStop\":%d,\"plannedStop\":0.0,\"smallStop\":%d,"
            + "\"slowCycle\":%d,\"productionReject\":%d,\"startupReject\":0.0},"
            + "\"machines\":2,\"reporting\":2%s}",
        scope,
        id,
        java.time.Instant.ofEpochMilli(start),
        java.time.Instant.ofEpochMilli(end),
        a,
        p,
        q,
        a * p * q,
        (long) (60_000 * a),
        3,
        3,
        (long) (60_000 * (1 - a)),
        random.nextInt(9_000),
        (long) (60_000 * a * (1 - p)),
        (long) (60_000 * a * p * (1 - q)),
        extra);
  }

  private String shift(String scope, String id, long now, String extra) {
    long start = now / 3_600_000 * 3_600_000 - 2 * 3_600_000;
    String json = figures(scope, id, start, now / 60_000 * 60_000, extra);
    return json.substring(0, json.length() - 1)
        + ",\"shift\":\"early\",\"shiftEnd\":\""
        + java.time.Instant.ofEpochMilli(start + 8 * 3_600_000)
        + "\"}";
  }

  private void publish(String topic, String json) throws Exception {
    mqtt.publish(topic, json.getBytes(StandardCharsets.UTF_8), 0, true);
  }

  @Override
  public void close() throws Exception {
    ticks.shutdownNow();
    ticks.awaitTermination(5, TimeUnit.SECONDS);
    mqtt.disconnect();
    mqtt.close();
  }
}
