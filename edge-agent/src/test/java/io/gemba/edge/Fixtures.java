package io.gemba.edge;

import io.gemba.model.asset.Park;
import io.gemba.model.config.YamlConfigLoader;
import io.gemba.model.envelope.Envelope;
import io.gemba.model.envelope.EnvelopeCodec;
import io.gemba.model.envelope.EnvelopeFormatException;
import io.gemba.model.envelope.Topics;
import io.gemba.testkit.MqttProbe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.SocketFactory;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * Shared test fixtures: parks of simulated CNC machines, a gateway file that reads many of them,
 * free ports, and a receiving end for envelopes.
 */
final class Fixtures {

  static final int MACHINES = 40;

  private Fixtures() {}

  /**
   * One CNC machine, cnc-07 on line smt-2 of factory zj-electronics, as GatewayConfigTest.VALID
   * reads it.
   */
  static Park singleCncPark() {
    return new YamlConfigLoader()
        .parse(
            Path.of("park.yaml"),
            """
            id: p
            factories:
              - id: zj-electronics
                timeZone: Asia/Shanghai
                lines:
                  - id: smt-2
                    machines:
                      - { id: cnc-07, kind: cnc, idealCycleSeconds: 20 }
            """,
            Park.class);
  }

  static Park park() {
    StringBuilder yaml =
        new StringBuilder(
            "id: outage-park\nfactories:\n  - id: zj\n    timeZone: Asia/Shanghai\n    lines:\n"
                + "      - id: l1\n        machines:\n");
    for (int i = 0; i < MACHINES; i++) {
      yaml.append("          - { id: cnc-")
          .append(i)
          .append(", kind: cnc, idealCycleSeconds: 20 }\n");
    }
    return new YamlConfigLoader().parse(Path.of("park.yaml"), yaml.toString(), Park.class);
  }

  static String gateway(String broker, String endpoint, Path buffer, int metricsPort) {
    StringBuilder yaml =
        new StringBuilder()
            .append("gateway: { id: gw-outage, factory: zj }\n")
            .append("uplink: { broker: \"")
            .append(broker)
            .append("\", batchDelayMs: 100 }\n")
            .append("buffer: { dir: \"")
            .append(buffer)
            .append("\", maxBytes: 256MiB }\n")
            .append("metrics: { host: 127.0.0.1, port: ")
            .append(metricsPort)
            .append(" }\n")
            .append("machines:\n");
    for (int i = 0; i < MACHINES; i++) {
      String m = "cnc-" + i;
      yaml.append("  - id: ")
          .append(m)
          .append("\n    line: l1\n    opcua:\n")
          .append("      endpoint: ")
          .append(endpoint)
          .append('\n')
          .append("      security: { policy: None }\n")
          .append("      signals:\n");
      for (String[] s :
          new String[][] {
            {"spindle_speed", "Spindle.Speed"},
            {"spindle_load", "Spindle.Load"},
            {"temperature", "Machine.Temperature"}
          }) {
        yaml.append("        - { name: ")
            .append(s[0])
            .append(", node: \"ns=2;s=")
            .append(m)
            .append('/')
            .append(s[1])
            .append("\" }\n");
      }
      yaml.append("      state: { node: \"ns=2;s=")
          .append(m)
          .append(
              "/Machine.State\", map: { 1: producing, 2: idle, 3: down, 4: setup, 5: planned_stop } }\n")
          .append("      counters: { total: \"ns=2;s=")
          .append(m)
          .append("/Parts.Total\", good: \"ns=2;s=")
          .append(m)
          .append("/Parts.Good\" }\n");
    }
    return yaml.toString();
  }

  /**
   * Receives envelopes over a persistent session (clean start off), as a plant consumer would, so
   * that the broker queues for it while it is away: an {@link MqttProbe} that sees every delivery,
   * repeats included. Indexes the first delivery of each sequence number and counts repeats
   * separately.
   */
  static final class Receiver implements AutoCloseable {
    private final EnvelopeCodec codec = new EnvelopeCodec();

    /** Where an envelope sits in its gateway's numbering. */
    private record Numbered(String gateway, long session, long seq) {}

    /** Envelopes by gateway, session and sequence number, as they first arrived. */
    private final Map<Numbered, Envelope> firstDelivery = new LinkedHashMap<>();

    private final MqttProbe probe;
    private long repeats;
    private long deliveredReadings;
    private long changedRepeats;

    Receiver(String broker) throws MqttException {
      this(broker, null);
    }

    /** A receiver connecting with {@code sockets} (TLS), or Paho's default when null. */
    Receiver(String broker, SocketFactory sockets) throws MqttException {
      // The probe hands each delivery over and keeps none itself: an outage test receives
      // hundreds of thousands of envelopes, indexed here once decoded.
      probe =
          MqttProbe.on(broker)
              .clientId("test-receiver")
              .subscribe(Topics.ALL_TELEMETRY)
              .persistentSession(Duration.ofHours(1))
              .sockets(sockets)
              .keepDeliveries(false)
              .listener(this::arrived)
              .start();
    }

    private synchronized void arrived(MqttProbe.Delivery delivery) throws EnvelopeFormatException {
      Envelope e = codec.decode(delivery.payload());
      deliveredReadings += e.size();
      Envelope first =
          firstDelivery.putIfAbsent(new Numbered(e.gateway(), e.session(), e.seq()), e);
      if (first != null) {
        repeats++;
        if (!first.equals(e)) {
          changedRepeats++;
        }
      }
    }

    /** Readings of the distinct envelopes: each counted once however often it arrived. */
    synchronized long readings() {
      return firstDelivery.values().stream().mapToLong(Envelope::size).sum();
    }

    /**
     * The sequence numbers that arrived, by session, in the order they first arrived (for tests of
     * one gateway).
     */
    synchronized Map<Long, List<Long>> sequenceNumbers() {
      Map<Long, List<Long>> out = new LinkedHashMap<>();
      for (Numbered key : firstDelivery.keySet()) {
        out.computeIfAbsent(key.session(), k -> new ArrayList<>()).add(key.seq());
      }
      return out;
    }

    /** Per machine, the sequence numbers in the order they first arrived. */
    synchronized Map<String, List<Long>> arrivalOrderByMachine() {
      Map<String, List<Long>> out = new HashMap<>();
      for (Envelope e : firstDelivery.values()) {
        out.computeIfAbsent(e.machine().id(), k -> new ArrayList<>()).add(e.seq());
      }
      return out;
    }

    synchronized List<Envelope> envelopesInArrivalOrder() {
      return new ArrayList<>(firstDelivery.values());
    }

    /** Envelopes that arrived again (the same gateway, session and sequence number). */
    synchronized long repeats() {
      return repeats;
    }

    /** Repeats whose content differs from the first delivery of their number. */
    synchronized long changedRepeats() {
      return changedRepeats;
    }

    /** Readings of every delivery, repeats included. */
    synchronized long deliveredReadings() {
      return deliveredReadings;
    }

    @Override
    public void close() {
      probe.close();
    }
  }
}
