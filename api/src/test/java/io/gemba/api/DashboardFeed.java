package io.gemba.api;

import io.gemba.jobs.anomaly.Anomaly;
import io.gemba.jobs.influx.InfluxPoints;
import io.gemba.jobs.live.LiveMessage;
import io.gemba.jobs.live.LiveMessages;
import io.gemba.jobs.records.OeeMinute;
import io.gemba.jobs.records.Reading;
import io.gemba.jobs.records.RollupMinute;
import io.gemba.jobs.records.ShiftToDate;
import io.gemba.jobs.records.StopReasonMinute;
import io.gemba.model.asset.Factory;
import io.gemba.model.asset.Line;
import io.gemba.model.asset.Machine;
import io.gemba.model.asset.MachineState;
import io.gemba.model.asset.Park;
import io.gemba.model.asset.Signal;
import io.gemba.model.envelope.Quality;
import io.gemba.model.oee.OeeTotals;
import io.gemba.model.oee.StateTimes;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.influxdb.dto.Point;

/**
 * Plays the KPI job for the dashboards' browser tests: an hour of stored minutes, states, signals
 * and anomalies in InfluxDB, then every second new signal values (InfluxDB) and new live figures
 * (MQTT, on the job's topics), with a state change and an anomaly now and then. Everything goes
 * through the job's own point and live-message mappings, so that what the pages read is what the
 * job writes. The figures are random; the tests check that what the pages show moves with them.
 */
final class DashboardFeed implements AutoCloseable {

  private static final MachineState[] STATES = {
    MachineState.PRODUCING, MachineState.IDLE, MachineState.DOWN, MachineState.SETUP
  };
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

  /** Rollups count the parts of many machines: a short ideal cycle keeps their OEE from steps. */
  private static final double ROLLUP_CYCLE_MS = 2_000;

  /** A random minute: 30 to 60 s producing, the rest down, parts at 60 to 100 % of the ideal. */
  private OeeTotals minute(double idealCycleMs) {
    long run = 30_000 + random.nextInt(30_001);
    long total = (long) (run / idealCycleMs * (0.6 + 0.4 * random.nextDouble()));
    long good = Math.max(0, total - random.nextInt(2));
    return new OeeTotals(
        60_000,
        run,
        60_000,
        total,
        good,
        total * idealCycleMs,
        good * idealCycleMs,
        new StateTimes(run, 0, 60_000 - run, 0, 0, 0),
        0);
  }

  private OeeMinute machineMinute(Factory f, Line l, Machine m, long start) {
    OeeTotals t = minute(m.idealCycleMs());
    return new OeeMinute(
        f.id(),
        l.id(),
        m.id(),
        start,
        start + 60_000,
        t.plannedMs(),
        t.runMs(),
        t.knownPlannedMs(),
        t.totalCount(),
        t.goodCount(),
        m.idealCycleMs(),
        t.times(),
        0,
        new TreeMap<>());
  }

  private RollupMinute rollup(String scope, String id, String factory, long start) {
    return new RollupMinute(
        scope, id, factory, start, start + 60_000, minute(ROLLUP_CYCLE_MS), 2, 2);
  }

  /**
   * The last hour as the KPI job would have stored it, written through the job's own point mapping.
   */
  private void history(long now) throws Exception {
    List<Point> points = new ArrayList<>();
    long firstMinute = (now / 60_000 - 60) * 60_000;
    // Twelve hours of factory minutes, for the park overview's trend.
    for (long t = firstMinute - 11 * 3_600_000L; t < firstMinute; t += 60_000) {
      for (Factory f : park.factories()) {
        points.add(InfluxPoints.rollup(rollup("factory", f.id(), f.id(), t)));
      }
    }
    for (long t = firstMinute; t < now - 60_000; t += 60_000) {
      points.add(InfluxPoints.rollup(rollup("park", park.id(), "", t)));
      for (Factory f : park.factories()) {
        points.add(InfluxPoints.rollup(rollup("factory", f.id(), f.id(), t)));
        for (Line l : f.lines()) {
          points.add(InfluxPoints.rollup(rollup("line", l.id(), f.id(), t)));
          for (Machine m : l.machines()) {
            points.add(InfluxPoints.oee(machineMinute(f, l, m, t)));
            if (random.nextInt(4) == 0) {
              points.add(
                  InfluxPoints.stopReason(
                      new StopReasonMinute(
                          f.id(),
                          l.id(),
                          m.id(),
                          t,
                          REASONS[1 + random.nextInt(3)],
                          5_000 + random.nextInt(40_000))));
            }
          }
        }
      }
    }
    for (Factory f : park.factories()) {
      for (Line l : f.lines()) {
        for (Machine m : l.machines()) {
          for (long t = now - 3_600_000; t < now; t += 420_000 + random.nextInt(120_000)) {
            points.add(state(f, l, m, t));
          }
          for (long t = now - 900_000; t < now; t += 5_000) {
            for (Signal s : m.signals()) {
              points.add(telemetry(f, l, m, s, t));
            }
          }
          Signal first = m.signals().get(0);
          points.add(
              InfluxPoints.anomaly(
                  new Anomaly(
                      f.id(),
                      l.id(),
                      m.id(),
                      first.name(),
                      "outlier",
                      9,
                      now - 300_000,
                      now - 290_000,
                      first.name() + " jumped 9 times its usual step")));
        }
      }
    }
    TestApi.write(influxUrl, points.toArray(Point[]::new));
  }

  private Point state(Factory f, Line l, Machine m, long t) {
    int i = random.nextInt(STATES.length);
    return InfluxPoints.machineState(
        new Reading(
            f.id(),
            l.id(),
            m.id(),
            t,
            Reading.Kind.STATE,
            null,
            Double.NaN,
            STATES[i],
            0,
            0,
            Quality.GOOD,
            i == 0 ? null : REASONS[i]));
  }

  private Point telemetry(Factory f, Line l, Machine m, Signal s, long t) {
    double value = 50 + 10 * Math.sin(t / 20_000.0 + s.name().length()) + random.nextGaussian();
    return InfluxPoints.telemetry(
        new Reading(
            f.id(),
            l.id(),
            m.id(),
            t,
            Reading.Kind.SIGNAL,
            s.name(),
            value,
            null,
            0,
            0,
            Quality.GOOD,
            null));
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

  /**
   * One second of the job: live figures of the last closed minute and the shift so far for every
   * scope (through the job's own live mapping), a new value of every signal, now and then a state
   * change and an anomaly.
   */
  private void tick() throws Exception {
    long now = System.currentTimeMillis();
    long minute = now / 60_000 * 60_000 - 60_000;
    long shiftStart = now / 3_600_000 * 3_600_000 - 2 * 3_600_000;
    long asOf = now / 60_000 * 60_000;
    tick++;
    List<Point> points = new ArrayList<>();
    publish(LiveMessages.rollupOee(rollup("park", park.id(), "", minute)));
    for (Factory f : park.factories()) {
      publish(LiveMessages.rollupOee(rollup("factory", f.id(), f.id(), minute)));
      publish(LiveMessages.shiftOee(shift("factory", f.id(), f, "", shiftStart, asOf)));
      for (Line l : f.lines()) {
        publish(LiveMessages.rollupOee(rollup("line", l.id(), f.id(), minute)));
        publish(LiveMessages.shiftOee(shift("line", l.id(), f, "", shiftStart, asOf)));
        for (Machine m : l.machines()) {
          publish(LiveMessages.machineOee(machineMinute(f, l, m, minute)));
          publish(LiveMessages.shiftOee(shift("machine", m.id(), f, l.id(), shiftStart, asOf)));
          for (Signal s : m.signals()) {
            points.add(telemetry(f, l, m, s, now));
          }
          if (tick % 5 == 0 && random.nextBoolean()) {
            points.add(state(f, l, m, now));
          }
          if (tick % 7 == 0) {
            Signal s = m.signals().get(0);
            publish(
                LiveMessages.anomaly(
                    new Anomaly(
                        f.id(),
                        l.id(),
                        m.id(),
                        s.name(),
                        "shift",
                        7.5,
                        now - 6_000,
                        now - 1_000,
                        s.name() + " moved to a new level")));
          }
        }
      }
    }
    TestApi.write(influxUrl, points.toArray(Point[]::new));
  }

  /** The shift so far: as many random minutes as have passed since it began. */
  private ShiftToDate shift(
      String scope, String id, Factory f, String line, long start, long asOf) {
    OeeTotals sum = OeeTotals.ZERO;
    for (long t = start; t < asOf; t += 60_000) {
      sum = sum.plus(minute(ROLLUP_CYCLE_MS));
    }
    return new ShiftToDate(
        scope, id, f.id(), line, "early", start, start + 8 * 3_600_000, asOf, sum);
  }

  private void publish(LiveMessage message) throws Exception {
    mqtt.publish(message.topic(), message.payload(), 0, message.retained());
  }

  @Override
  public void close() throws Exception {
    ticks.shutdownNow();
    ticks.awaitTermination(5, TimeUnit.SECONDS);
    mqtt.disconnect();
    mqtt.close();
  }
}
