package io.gemba.edge.southbound.mqtt;

import io.gemba.connect.BrokerEndpoint;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * The machine-side MQTT connections of one gateway, one per broker and user, shared by the machines
 * read through them. A machine's reader takes a {@link Machine} handle; the connection closes when
 * its last machine is closed.
 */
public final class SouthboundConnections {

  private final String clientIdPrefix;
  private final Map<BrokerEndpoint, SouthboundConnection> connections = new LinkedHashMap<>();

  /**
   * @param gatewayId the gateway's id; client ids are {@code gemba-edge-<gateway>-south-<n>}
   */
  public SouthboundConnections(String gatewayId) {
    this.clientIdPrefix = "gemba-edge-" + gatewayId + "-south-";
  }

  /** Puts a machine's filter on the connection to {@code endpoint}, opening it if needed. */
  public synchronized Machine subscribe(
      String machineId, BrokerEndpoint endpoint, String filter, SouthboundConnection.Handler h) {
    SouthboundConnection connection =
        connections.computeIfAbsent(
            endpoint, e -> new SouthboundConnection(e, clientIdPrefix + connections.size()));
    SouthboundConnection.Subscription subscription =
        new SouthboundConnection.Subscription(machineId, filter, h);
    connection.add(subscription);
    return new Machine(endpoint, connection, subscription);
  }

  /** How often the open connections were lost, in total. */
  public synchronized long disconnects() {
    return connections.values().stream().mapToLong(SouthboundConnection::disconnects).sum();
  }

  private synchronized void release(Machine machine) {
    if (machine.connection.remove(machine.subscription)) {
      connections.remove(machine.endpoint);
      machine.connection.close();
    }
  }

  /** One machine's place on a shared connection. */
  public final class Machine {
    private final BrokerEndpoint endpoint;
    private final SouthboundConnection connection;
    private final SouthboundConnection.Subscription subscription;

    private Machine(
        BrokerEndpoint endpoint,
        SouthboundConnection connection,
        SouthboundConnection.Subscription subscription) {
      this.endpoint = endpoint;
      this.connection = connection;
      this.subscription = subscription;
    }

    public void start() {
      connection.start();
    }

    public boolean isConnected() {
      return connection.isConnected();
    }

    public void publish(String topic, byte[] payload) throws MqttException {
      connection.publish(topic, payload);
    }

    public void close() {
      release(this);
    }
  }
}
