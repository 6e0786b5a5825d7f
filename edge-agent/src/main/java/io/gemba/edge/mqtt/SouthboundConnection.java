package io.gemba.edge.mqtt;

import io.gemba.edge.config.TlsConfig;
import io.gemba.edge.security.MqttSockets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.SocketFactory;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A machine-side MQTT connection: connects (retrying until it succeeds), subscribes to one topic
 * filter at QoS 1, reconnects and subscribes again after a drop, and hands every message to a
 * handler. Shared by the JSON and the Sparkplug B readers.
 */
final class SouthboundConnection implements MqttCallback {

  /** What to do with each message. */
  interface Handler {
    void message(String topic, MqttMessage message);
  }

  private static final Logger log = LoggerFactory.getLogger(SouthboundConnection.class);
  private static final long RETRY_MS = 2_000;

  private final String machineId;
  private final String broker;
  private final String topic;
  private final String username;
  private final Path passwordFile;
  private final String clientId;
  private final SocketFactory sockets;
  private final Handler handler;
  private final Thread connector;
  private final ExecutorService publisher;
  private volatile MqttClient client;
  private volatile boolean closed;

  SouthboundConnection(
      String machineId,
      String broker,
      TlsConfig tls,
      String username,
      Path passwordFile,
      String topic,
      String clientId,
      Handler handler) {
    this.machineId = machineId;
    this.broker = broker;
    this.topic = topic;
    this.username = username;
    this.passwordFile = passwordFile;
    this.clientId = clientId;
    this.handler = handler;
    this.sockets = MqttSockets.forBroker("tls", broker, tls);
    this.connector = new Thread(this::connectUntilDone, "mqtt-" + machineId);
    connector.setDaemon(true);
    this.publisher =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "mqtt-publish-" + machineId);
              t.setDaemon(true);
              return t;
            });
  }

  void start() {
    connector.start();
  }

  private void connectUntilDone() {
    while (!closed) {
      try {
        MqttClient c = new MqttClient(broker, clientId, new MemoryPersistence());
        c.setCallback(this);
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setAutomaticReconnect(true);
        options.setAutomaticReconnectDelay(1, 10);
        options.setSocketFactory(sockets);
        if (username != null) {
          options.setUserName(username);
        }
        if (passwordFile != null) {
          options.setPassword(
              Files.readString(passwordFile).strip().getBytes(StandardCharsets.UTF_8));
        }
        c.connect(options);
        client = c;
        subscribe();
        log.info("mqtt source connected machine={} broker={} topic={}", machineId, broker, topic);
        return;
      } catch (MqttException | IOException e) {
        log.warn(
            "mqtt source connect failed machine={} broker={} reason={}; retrying",
            machineId,
            broker,
            e.getMessage());
        try {
          Thread.sleep(RETRY_MS);
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  private void subscribe() throws MqttException {
    // The array form: Paho 1.2.5's subscribe(String, int, listener) overload recurses forever.
    client.subscribe(new MqttSubscription[] {new MqttSubscription(topic, 1)});
  }

  /**
   * Publishes on the machine-side broker (QoS 0), e.g. a Sparkplug rebirth request, without
   * waiting: it may be called from the message handler, where a blocking publish would wait for the
   * very thread that calls it.
   */
  void publish(String publishTopic, byte[] payload) throws MqttException {
    MqttClient c = client;
    if (c == null || !c.isConnected()) {
      throw new MqttException(MqttClientException.REASON_CODE_CLIENT_NOT_CONNECTED);
    }
    MqttMessage message = new MqttMessage(payload);
    message.setQos(0);
    publisher.execute(
        () -> {
          try {
            c.publish(publishTopic, message);
          } catch (MqttException e) {
            log.warn(
                "mqtt source publish failed machine={} topic={} reason={}",
                machineId,
                publishTopic,
                e.getMessage());
          }
        });
  }

  @Override
  public void messageArrived(String arrivedTopic, MqttMessage message) {
    handler.message(arrivedTopic, message);
  }

  @Override
  public void connectComplete(boolean reconnect, String serverUri) {
    if (reconnect) {
      try {
        subscribe();
      } catch (MqttException e) {
        log.warn("mqtt source resubscribe failed machine={} reason={}", machineId, e.getMessage());
      }
    }
  }

  @Override
  public void disconnected(MqttDisconnectResponse response) {
    log.warn("mqtt source disconnected machine={}", machineId);
  }

  @Override
  public void mqttErrorOccurred(MqttException exception) {}

  @Override
  public void deliveryComplete(IMqttToken token) {}

  @Override
  public void authPacketArrived(int reasonCode, MqttProperties properties) {}

  boolean isConnected() {
    MqttClient c = client;
    return c != null && c.isConnected();
  }

  void close() {
    closed = true;
    connector.interrupt();
    publisher.shutdownNow();
    MqttClient c = client;
    if (c == null) {
      return;
    }
    try {
      if (c.isConnected()) {
        c.disconnect(1_000);
      }
      c.close(true);
    } catch (MqttException e) {
      log.debug("mqtt source close failed machine={} reason={}", machineId, e.getMessage());
    }
  }
}
