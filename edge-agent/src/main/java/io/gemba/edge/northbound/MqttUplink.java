package io.gemba.edge.northbound;

import io.gemba.edge.config.Uplink;
import io.gemba.model.envelope.Envelope;
import io.gemba.model.envelope.EnvelopeCodec;
import io.gemba.model.envelope.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT v5 connection to the plant broker. {@link #publish} returns only after the broker
 * acknowledged the envelope (QoS 1 PUBACK with a success reason code).
 */
public final class MqttUplink implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MqttUplink.class);

  private final MqttClient client;
  private final MqttConnectionOptions options;
  private final EnvelopeCodec codec = new EnvelopeCodec();

  public MqttUplink(Uplink uplink, String clientId) {
    try {
      // Paho's default persistence writes into the working directory; the agent keeps its own.
      this.client = new MqttClient(uplink.broker(), clientId, new MemoryPersistence());
    } catch (MqttException e) {
      throw new IllegalStateException("cannot create MQTT client for " + uplink.broker(), e);
    }
    this.options = new MqttConnectionOptions();
    options.setCleanStart(true);
    options.setAutomaticReconnect(true);
    options.setAutomaticReconnectDelay(1, 10);
    options.setConnectionTimeout(5);
    options.setKeepAliveInterval(20);
    if (uplink.username() != null) {
      options.setUserName(uplink.username());
    }
    if (uplink.passwordFile() != null) {
      try {
        options.setPassword(
            Files.readString(uplink.passwordFile()).strip().getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot read uplink.passwordFile " + uplink.passwordFile(), e);
      }
    }
  }

  /** Connects if not connected; a failure is reported, and the caller retries later. */
  public synchronized boolean ensureConnected() {
    if (client.isConnected()) {
      return true;
    }
    try {
      client.connect(options);
      log.info("uplink connected broker={}", client.getServerURI());
      return true;
    } catch (MqttException e) {
      log.warn("uplink connect failed broker={} reason={}", client.getServerURI(), e.getMessage());
      return false;
    }
  }

  /**
   * Publishes one envelope at QoS 1 and waits for the broker's acknowledgement.
   *
   * @throws MqttException when the broker did not accept it; the envelope was not delivered
   */
  public void publish(Envelope envelope) throws MqttException {
    MqttMessage message = new MqttMessage(codec.encode(envelope));
    message.setQos(1);
    client.publish(Topics.telemetry(envelope.machine()), message);
  }

  public boolean isConnected() {
    return client.isConnected();
  }

  @Override
  public synchronized void close() {
    try {
      if (client.isConnected()) {
        client.disconnect(2_000);
      }
      client.close(true);
    } catch (MqttException e) {
      log.warn("uplink close failed reason={}", e.getMessage());
    }
  }
}
