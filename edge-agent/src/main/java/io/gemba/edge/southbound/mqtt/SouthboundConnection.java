package io.gemba.edge.southbound.mqtt;

import io.gemba.connect.BrokerEndpoint;
import io.gemba.connect.MqttConnect;
import io.gemba.model.config.Names;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
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
import org.eclipse.paho.mqttv5.common.util.MqttTopicValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One machine-side MQTT connection, shared by every machine the gateway reads from the same broker
 * as the same user: it connects (retrying until it succeeds), subscribes to each machine's topic
 * filter at QoS 1, subscribes again after a reconnect, and hands every message to the machines
 * whose filter it matches. One connection per broker user is what a broker that ties client ids to
 * user names allows, and it costs one socket instead of one per machine.
 */
public final class SouthboundConnection implements MqttCallback {

  /** What a machine does with each of its messages. */
  public interface Handler {
    void message(String topic, MqttMessage message);
  }

  /** One machine's topic filter on the connection. */
  record Subscription(String machineId, String filter, Handler handler) {}

  private static final Logger log = LoggerFactory.getLogger(SouthboundConnection.class);
  private static final long RETRY_MS = 2_000;

  private final BrokerEndpoint endpoint;
  private final String clientId;
  private final MqttConnectionOptions options;
  private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
  private final AtomicLong disconnects = new AtomicLong();
  private final Thread connector;
  private final ExecutorService publisher;
  private volatile MqttClient client;
  private volatile boolean closed;
  private boolean started;

  SouthboundConnection(BrokerEndpoint endpoint, String clientId) {
    this.endpoint = endpoint;
    this.clientId = clientId;
    this.options = MqttConnect.options(endpoint, "tls");
    options.setCleanStart(true);
    options.setAutomaticReconnect(true);
    options.setAutomaticReconnectDelay(1, 10);
    this.connector = new Thread(this::connectUntilDone, "mqtt-" + clientId);
    connector.setDaemon(true);
    this.publisher =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "mqtt-publish-" + clientId);
              t.setDaemon(true);
              return t;
            });
  }

  /** Adds a machine's filter; subscribed at once when connected, else when the connection is up. */
  void add(Subscription subscription) {
    subscriptions.add(subscription);
    MqttClient c = client;
    if (c != null && c.isConnected()) {
      try {
        subscribe(c, List.of(subscription));
      } catch (MqttException e) {
        log.warn(
            "mqtt source subscribe failed machine={} topic={} reason={}",
            subscription.machineId(),
            subscription.filter(),
            e.getMessage());
      }
    }
  }

  /**
   * Removes a machine's filter.
   *
   * @return whether no machine is left on the connection
   */
  boolean remove(Subscription subscription) {
    subscriptions.remove(subscription);
    return subscriptions.isEmpty();
  }

  /** Starts connecting, once; later calls do nothing. */
  synchronized void start() {
    if (!started) {
      started = true;
      connector.start();
    }
  }

  private void connectUntilDone() {
    while (!closed) {
      try {
        MqttClient c = new MqttClient(endpoint.broker(), clientId, new MemoryPersistence());
        c.setCallback(this);
        c.connect(options);
        client = c;
        subscribe(c, subscriptions);
        log.info(
            "mqtt source connected broker={} user={} topics={}",
            endpoint.broker(),
            endpoint.username(),
            subscriptions.size());
        return;
      } catch (MqttException e) {
        log.warn(
            "mqtt source connect failed broker={} user={} reason={}; retrying",
            endpoint.broker(),
            endpoint.username(),
            e.getMessage());
        try {
          Thread.sleep(RETRY_MS);
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  private static void subscribe(MqttClient c, List<Subscription> list) throws MqttException {
    if (list.isEmpty()) {
      return;
    }
    // The array form: Paho 1.2.5's subscribe(String, int, listener) overload recurses forever.
    c.subscribe(
        list.stream()
            .map(s -> new MqttSubscription(s.filter(), 1))
            .toArray(MqttSubscription[]::new));
  }

  /**
   * Publishes on the machine-side broker (QoS 0), e.g. a Sparkplug rebirth request, without
   * waiting: it may be called from a message handler, where a blocking publish would wait for the
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
                "mqtt source publish failed broker={} topic={} reason={}",
                endpoint.broker(),
                publishTopic,
                e.getMessage());
          }
        });
  }

  @Override
  public void messageArrived(String arrivedTopic, MqttMessage message) {
    for (Subscription s : subscriptions) {
      if (MqttTopicValidator.isMatched(s.filter(), arrivedTopic)) {
        try {
          s.handler().message(arrivedTopic, message);
        } catch (RuntimeException e) {
          // The last guard: an exception out of this callback makes Paho drop the connection.
          log.error(
              "mqtt source message handler failed broker={} topic={}",
              endpoint.broker(),
              Names.shown(arrivedTopic, 200),
              e);
        }
      }
    }
  }

  @Override
  public void connectComplete(boolean reconnect, String serverUri) {
    if (reconnect) {
      try {
        subscribe(client, subscriptions);
      } catch (MqttException e) {
        log.warn(
            "mqtt source resubscribe failed broker={} reason={}",
            endpoint.broker(),
            e.getMessage());
      }
    }
  }

  /** How often this connection was lost since it was opened. */
  long disconnects() {
    return disconnects.get();
  }

  @Override
  public void disconnected(MqttDisconnectResponse response) {
    disconnects.incrementAndGet();
    log.warn(
        "mqtt source disconnected broker={} user={} reason={}",
        endpoint.broker(),
        endpoint.username(),
        response.getReasonString());
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
      log.debug("mqtt source close failed broker={} reason={}", endpoint.broker(), e.getMessage());
    }
  }
}
