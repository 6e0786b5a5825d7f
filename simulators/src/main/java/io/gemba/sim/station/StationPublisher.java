package io.gemba.sim.station;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gemba.connect.BrokerEndpoint;
import io.gemba.connect.MqttConnect;
import io.gemba.model.asset.MachineState;
import io.gemba.model.asset.StopReason;
import io.gemba.sim.cnc.NodeUpdate;
import io.gemba.sim.machine.SimulatedMachine;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes line stations as a PLC gateway would: one JSON message per station and sample on {@code
 * plant/<factory>/<line>/<station>}, at QoS 1, with the sample's timestamp, the station's state as
 * the PLC's text, why it is not running, the blocked and starved flags of a flow line, and its
 * cumulative counters:
 *
 * <pre>{"ts":1795000000000,"belt":{"speed":0.0},"motor":{"current":0.06,"temperature":51.2},
 * "state":"IDLE","reason":"starved","blocked":false,"starved":true,
 * "counts":{"total":120,"good":118,"reject":2}}</pre>
 */
public final class StationPublisher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StationPublisher.class);

  /** The PLC's state texts, and what they mean. */
  public static final Map<String, MachineState> STATES =
      Map.of(
          "RUN", MachineState.PRODUCING,
          "IDLE", MachineState.IDLE,
          "FAULT", MachineState.DOWN,
          "SETUP", MachineState.SETUP,
          "STOP", MachineState.PLANNED_STOP);

  private final ObjectMapper mapper = new ObjectMapper();
  private final MqttClient client;
  private final Map<String, Station> stations = new LinkedHashMap<>();

  /** What the publisher remembers of a station between samples. */
  private static final class Station {
    final String topic;
    String state = "IDLE";
    String reason = "";
    long total;
    long good;

    Station(String topic) {
      this.topic = topic;
    }
  }

  public StationPublisher(BrokerEndpoint broker, String clientId) {
    try {
      client = new MqttClient(broker.broker(), clientId, new MemoryPersistence());
      MqttConnectionOptions options = MqttConnect.options(broker, "--mqtt-ca");
      options.setAutomaticReconnect(true);
      options.setCleanStart(true);
      client.connect(options);
    } catch (MqttException e) {
      throw new IllegalStateException(
          "station publisher cannot reach "
              + broker.broker()
              + " as "
              + broker.username()
              + ": "
              + e,
          e);
    }
  }

  /** The topic a station publishes on. */
  public static String topic(String factory, String line, String station) {
    return "plant/" + factory + "/" + line + "/" + station;
  }

  public void register(String factory, String line, String station) {
    stations.put(station, new Station(topic(factory, line, station)));
  }

  /**
   * Publishes a station's updates, in time order: one message per instant at which something
   * happened (a sample, a state change, a finished part), each with the state and counts as of that
   * instant, so that a consumer dating everything with {@code ts} sees exact times.
   */
  public void publish(String stationId, List<NodeUpdate> updates) {
    Station station = stations.get(stationId);
    ObjectNode message = null;
    long at = Long.MIN_VALUE;
    for (NodeUpdate u : updates) {
      if (message == null || u.ts() != at) {
        send(stationId, station, message);
        at = u.ts();
        message = mapper.createObjectNode().put("ts", at);
      }
      switch (u.variable()) {
        case SimulatedMachine.STATE -> station.state = text((Integer) u.value());
        case SimulatedMachine.PARTS_TOTAL -> station.total = (Long) u.value();
        case SimulatedMachine.PARTS_GOOD -> station.good = (Long) u.value();
        case SimulatedMachine.STOP_REASON -> station.reason = (String) u.value();
        default -> {
          String[] path = u.variable().toLowerCase(Locale.ROOT).split("\\.");
          message.with(path[0]).put(path[1], (Double) u.value());
        }
      }
    }
    send(stationId, station, message);
  }

  private void send(String stationId, Station station, ObjectNode message) {
    if (message == null) {
      return;
    }
    message.put("state", station.state);
    message.put("reason", station.reason);
    message.put("blocked", StopReason.BLOCKED.wireName().equals(station.reason));
    message.put("starved", StopReason.STARVED.wireName().equals(station.reason));
    message
        .with("counts")
        .put("total", station.total)
        .put("good", station.good)
        .put("reject", station.total - station.good);
    try {
      client.publish(station.topic, mapper.writeValueAsBytes(message), 1, false);
    } catch (MqttException | JsonProcessingException e) {
      log.warn("station message not published station={} reason={}", stationId, e.toString());
    }
  }

  private static String text(int code) {
    return switch (code) {
      case 1 -> "RUN";
      case 3 -> "FAULT";
      case 4 -> "SETUP";
      case 5 -> "STOP";
      default -> "IDLE";
    };
  }

  @Override
  public void close() {
    try {
      if (client.isConnected()) {
        client.disconnect(1_000);
      }
      client.close(true);
    } catch (MqttException e) {
      log.debug("station publisher close failed reason={}", e.toString());
    }
  }
}
