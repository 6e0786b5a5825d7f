package io.gemba.edge.northbound;

import io.gemba.connect.MqttConnect;
import io.gemba.edge.buffer.StoredEnvelope;
import io.gemba.edge.metrics.EdgeMetrics;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT v5 connection to the plant broker: clean start off with a session expiry, and publishing
 * in windows of up to {@code maxInflight} QoS 1 messages. A message counts as delivered only when
 * its PUBACK arrived with a success reason code; anything else is reported to the caller, which
 * sends it again from the buffer.
 *
 * <p>Reconnecting is done here, with a fresh Paho client each time, not by Paho's automatic
 * reconnect: Paho 1.2.5 re-sends its in-flight messages on a resumed session without their topic,
 * which mosquitto rejects as a protocol error, in a loop (eclipse-paho/paho.mqtt.java#916). The
 * disk buffer already re-sends what was not acknowledged, so Paho keeps no state worth resuming.
 */
public final class MqttUplink implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MqttUplink.class);
  private static final long ACK_TIMEOUT_MS = 10_000;
  private static final long MIN_BACKOFF_MS = 500;
  private static final long MAX_BACKOFF_MS = 5_000;

  private final String broker;
  private final String clientId;
  private final EdgeMetrics metrics;
  private final MqttConnectionOptions options;
  private volatile MqttAsyncClient client;
  private boolean connectedOnce;
  private long nextAttempt;
  private long backoff = MIN_BACKOFF_MS;
  private String lastFailure;

  public MqttUplink(Uplink uplink, String clientId, EdgeMetrics metrics) {
    this.broker = uplink.broker();
    this.clientId = clientId;
    this.metrics = metrics;
    this.options = MqttConnect.options(uplink.endpoint(), "uplink.tls");
    options.setCleanStart(false);
    options.setSessionExpiryInterval(uplink.sessionExpirySeconds());
    options.setAutomaticReconnect(false);
    options.setConnectionTimeout(5);
    options.setKeepAliveInterval(10);
  }

  /**
   * Connects when not connected, at most once per back-off interval (0.5 s doubling to 5 s).
   *
   * @return whether a connection is up
   */
  public synchronized boolean ensureConnected() {
    MqttAsyncClient current = client;
    if (current != null && current.isConnected()) {
      return true;
    }
    long now = System.currentTimeMillis();
    if (now < nextAttempt) {
      return false;
    }
    discard(current);
    try {
      // The buffer is the persistence; Paho's default file persistence would write into the
      // working directory.
      MqttAsyncClient fresh = new MqttAsyncClient(broker, clientId, new MemoryPersistence());
      fresh.setCallback(new ConnectionEvents());
      fresh.connect(options).waitForCompletion(10_000);
      client = fresh;
      backoff = MIN_BACKOFF_MS;
      lastFailure = null;
      if (connectedOnce) {
        metrics.reconnected();
        log.info("uplink reconnected broker={}", broker);
      } else {
        log.info("uplink connected broker={}", broker);
      }
      connectedOnce = true;
      return true;
    } catch (MqttException e) {
      String reason = e.getMessage();
      if (!reason.equals(lastFailure)) {
        // Each new reason once (a wrong password, an unknown CA): retries repeat it every 5 s.
        log.warn("uplink connect failed broker={} reason={}; retrying", broker, reason);
        lastFailure = reason;
      }
      nextAttempt = now + backoff;
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      return false;
    }
  }

  private static void discard(MqttAsyncClient old) {
    if (old == null) {
      return;
    }
    try {
      old.disconnectForcibly(0, 0, false);
    } catch (MqttException | RuntimeException e) {
      // Paho throws a NullPointerException here for a client whose connect never completed.
      log.debug("uplink discard: {}", e.toString());
    }
    try {
      old.close(true);
    } catch (MqttException | RuntimeException e) {
      log.debug("uplink discard: {}", e.toString());
    }
  }

  /**
   * Publishes {@code envelopes} in order at QoS 1 and waits for their acknowledgements.
   *
   * @return how many of the first envelopes were acknowledged, in order; fewer than all means the
   *     rest must be sent again
   */
  public int publish(List<StoredEnvelope> envelopes) {
    MqttAsyncClient current = client;
    if (current == null) {
      return 0;
    }
    List<IMqttToken> tokens = new ArrayList<>(envelopes.size());
    for (StoredEnvelope envelope : envelopes) {
      MqttMessage message = new MqttMessage(envelope.payload());
      message.setQos(1);
      try {
        tokens.add(current.publish(envelope.topic(), message));
      } catch (MqttException e) {
        log.debug("publish not accepted by client reason={}", e.getMessage());
        break;
      }
    }
    int acknowledged = 0;
    for (IMqttToken token : tokens) {
      try {
        token.waitForCompletion(ACK_TIMEOUT_MS);
      } catch (MqttException e) {
        break;
      }
      if (!succeeded(token)) {
        break;
      }
      acknowledged++;
    }
    return acknowledged;
  }

  private static boolean succeeded(IMqttToken token) {
    if (!token.isComplete() || token.getException() != null) {
      return false;
    }
    int[] codes = token.getReasonCodes();
    if (codes != null) {
      for (int code : codes) {
        if (code >= 0x80) {
          log.error(
              "broker refused envelope reasonCode={} (0x87 is not authorized: check the ACL);"
                  + " it stays in the buffer",
              code);
          return false;
        }
      }
    }
    return true;
  }

  public boolean isConnected() {
    MqttAsyncClient current = client;
    return current != null && current.isConnected();
  }

  @Override
  public synchronized void close() {
    MqttAsyncClient current = client;
    client = null;
    if (current == null) {
      return;
    }
    try {
      if (current.isConnected()) {
        current.disconnect(2_000).waitForCompletion(3_000);
      }
    } catch (MqttException e) {
      log.warn("uplink disconnect failed reason={}", e.getMessage());
    }
    discard(current);
  }

  /** Connection events, for logs. */
  private static final class ConnectionEvents implements MqttCallback {
    @Override
    public void disconnected(MqttDisconnectResponse response) {
      log.warn(
          "uplink disconnected reason={}",
          response.getException() == null
              ? response.getReasonString()
              : response.getException().getMessage());
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
      log.warn("uplink error reason={}", exception.getMessage());
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {}

    @Override
    public void deliveryComplete(IMqttToken token) {}

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {}

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {}
  }
}
