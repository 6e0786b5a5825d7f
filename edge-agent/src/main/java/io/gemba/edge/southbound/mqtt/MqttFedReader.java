package io.gemba.edge.southbound.mqtt;

import io.gemba.connect.BrokerEndpoint;
import io.gemba.edge.metrics.EdgeMetrics;
import io.gemba.edge.northbound.ReadingSink;
import io.gemba.edge.southbound.MachineReader;
import io.gemba.model.config.Names;
import io.gemba.model.envelope.MachineRef;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every reader of a machine that publishes over MQTT shares (JSON and Sparkplug B): its place
 * on the shared machine-side connection, the refusal of a message it cannot read (counted and
 * logged, never thrown out of the client's callback), and the age of its last value.
 *
 * <p>The machine's topic filter is put on the connection only when the reader starts, once the
 * reader is whole: a connection that another machine already opened subscribes at once, and a
 * retained message may arrive right away.
 */
public abstract class MqttFedReader implements MachineReader {

  private static final Logger log = LoggerFactory.getLogger(MqttFedReader.class);

  protected final MachineRef machine;
  protected final ReadingSink sink;
  protected final EdgeMetrics metrics;
  private final String protocol;
  private final BrokerEndpoint endpoint;
  private final String topicFilter;
  private final SouthboundConnections connections;
  private volatile SouthboundConnections.Machine connection;
  private volatile long lastValueAt;

  /**
   * A reader of the machine's messages on {@code endpoint} under {@code topicFilter}; they flow
   * once {@link #start} is called.
   *
   * @param protocol how the log names the source, e.g. {@code mqtt source}
   */
  protected MqttFedReader(
      String protocol,
      MachineRef machine,
      BrokerEndpoint endpoint,
      String topicFilter,
      ReadingSink sink,
      EdgeMetrics metrics,
      SouthboundConnections connections) {
    this.protocol = protocol;
    this.machine = machine;
    this.sink = sink;
    this.metrics = metrics;
    this.endpoint = endpoint;
    this.topicFilter = topicFilter;
    this.connections = connections;
  }

  private void arrived(String topic, MqttMessage message) {
    try {
      handle(topic, message);
    } catch (RuntimeException e) {
      // Never out of the client's callback: that would drop the connection, and a retained
      // message would then drop it again at every reconnect.
      reject(topic, "could not be read: " + e);
    }
  }

  /** Reads one message of the machine. */
  protected abstract void handle(String topic, MqttMessage message);

  /** Counts and logs a message, or a part of one, that could not be read. */
  protected void reject(String topic, String reason) {
    metrics.southboundRejected();
    log.warn(
        "{} message rejected machine={} topic={} reason={}",
        protocol,
        machine.id(),
        Names.shown(topic, 200),
        Names.shown(reason, 200));
  }

  /** Notes that a value of the machine arrived at {@code at} (epoch ms). */
  protected void valueArrived(long at) {
    lastValueAt = at;
  }

  @Override
  public synchronized void start() {
    if (connection == null) {
      connection = connections.subscribe(machine.id(), endpoint, topicFilter, this::arrived);
      connection.start();
    }
  }

  /**
   * Publishes to the machine's broker on its connection.
   *
   * @throws IllegalStateException before the reader started
   */
  protected void publish(String topic, byte[] payload) throws MqttException {
    SouthboundConnections.Machine c = connection;
    if (c == null) {
      throw new IllegalStateException("machine " + machine.id() + " is not read yet");
    }
    c.publish(topic, payload);
  }

  @Override
  public String machineId() {
    return machine.id();
  }

  @Override
  public boolean isConnected() {
    SouthboundConnections.Machine c = connection;
    return c != null && c.isConnected();
  }

  @Override
  public double lastValueAgeSeconds() {
    long at = lastValueAt;
    return at == 0 ? Double.NaN : (System.currentTimeMillis() - at) / 1000.0;
  }

  @Override
  public synchronized void close() {
    if (connection != null) {
      connection.close();
    }
  }
}
