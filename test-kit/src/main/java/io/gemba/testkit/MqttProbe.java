package io.gemba.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import javax.net.SocketFactory;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A test's subscriber: it records every delivery the broker makes, in arrival order, with the QoS
 * and the duplicate and retained flags it came with, and never drops a repeat. Tests that claim "at
 * least once" or "exactly once" count on it, not on the sender's own figures.
 *
 * <p>When the connection drops (a broker restarted by the test) it connects again with a fresh
 * client every 200 ms and subscribes again; with {@link Builder#persistentSession} the broker keeps
 * the subscription and queues for it meanwhile, as for a plant consumer.
 */
public final class MqttProbe implements AutoCloseable {

  /**
   * One delivery as it arrived.
   *
   * @param arrivalNanos {@link System#nanoTime()} when the probe received it
   */
  public record Delivery(
      String topic,
      byte[] payload,
      int qos,
      boolean duplicate,
      boolean retained,
      long arrivalNanos) {}

  private final Builder settings;
  private final List<Delivery> deliveries = new ArrayList<>();
  private final Thread keeper;
  private volatile MqttClient client;
  private volatile boolean closed;

  private MqttProbe(Builder settings) throws MqttException {
    this.settings = settings;
    connect();
    keeper = new Thread(this::keepConnected, "mqtt-probe-" + settings.clientId);
    keeper.setDaemon(true);
    keeper.start();
  }

  /** A probe for the broker at {@code url} ({@code tcp://} or {@code ssl://}). */
  public static Builder on(String url) {
    return new Builder(url);
  }

  /** Every delivery so far, repeats included, in arrival order. */
  public synchronized List<Delivery> deliveries() {
    return List.copyOf(deliveries);
  }

  /** The deliveries on topics that {@code topic} accepts. */
  public synchronized List<Delivery> deliveries(Predicate<String> topic) {
    return deliveries.stream().filter(d -> topic.test(d.topic())).toList();
  }

  public synchronized int size() {
    return deliveries.size();
  }

  /**
   * Waits until at least {@code count} deliveries arrived.
   *
   * @throws TimeoutException naming how many did arrive
   */
  public List<Delivery> awaitAtLeast(int count, Duration atMost)
      throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + atMost.toNanos();
    synchronized (this) {
      while (deliveries.size() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new TimeoutException(
              "expected at least "
                  + count
                  + " deliveries within "
                  + atMost
                  + ", got "
                  + deliveries.size());
        }
        wait(Math.max(1, left / 1_000_000));
      }
      return List.copyOf(deliveries);
    }
  }

  /** Whether the probe is connected now. */
  public boolean isConnected() {
    MqttClient current = client;
    return current != null && current.isConnected();
  }

  /** What a test does with each delivery; what it throws drops the connection, as in Paho. */
  @FunctionalInterface
  public interface Listener {
    void arrived(Delivery delivery) throws Exception;
  }

  private void record(String topic, MqttMessage message) throws Exception {
    Delivery delivery =
        new Delivery(
            topic,
            message.getPayload(),
            message.getQos(),
            message.isDuplicate(),
            message.isRetained(),
            System.nanoTime());
    synchronized (this) {
      if (settings.keep) {
        deliveries.add(delivery);
      }
      if (settings.listener != null) {
        settings.listener.arrived(delivery);
      }
      notifyAll();
    }
  }

  private void connect() throws MqttException {
    MqttClient fresh = new MqttClient(settings.url, settings.clientId, new MemoryPersistence());
    fresh.setCallback(new Callback());
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setConnectionTimeout(3);
    options.setCleanStart(settings.sessionExpiry == null);
    if (settings.sessionExpiry != null) {
      options.setSessionExpiryInterval(settings.sessionExpiry.toSeconds());
    }
    if (settings.sockets != null) {
      options.setSocketFactory(settings.sockets);
    }
    if (settings.username != null) {
      options.setUserName(settings.username);
      options.setPassword(settings.password);
    }
    fresh.connect(options);
    MqttSubscription[] subscriptions =
        settings.filters.stream()
            .map(f -> new MqttSubscription(f, settings.qos))
            .toArray(MqttSubscription[]::new);
    IMqttToken granted = fresh.subscribe(subscriptions);
    for (int code : granted.getReasonCodes()) {
      if (code > 2) {
        fresh.disconnectForcibly(1000);
        fresh.close(true);
        throw new MqttException(code);
      }
    }
    client = fresh;
  }

  private void keepConnected() {
    while (!closed) {
      MqttClient current = client;
      if (current == null || !current.isConnected()) {
        try {
          if (current != null) {
            current.close(true);
          }
        } catch (MqttException | RuntimeException e) {
          // replaced below
        }
        try {
          connect();
        } catch (MqttException | RuntimeException e) {
          // the broker is still away: try again
        }
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    keeper.interrupt();
    MqttClient current = client;
    if (current != null) {
      try {
        if (current.isConnected()) {
          current.disconnect(2000);
        }
        current.close(true);
      } catch (MqttException | RuntimeException e) {
        // closing anyway
      }
    }
  }

  private final class Callback implements MqttCallback {
    @Override
    public void messageArrived(String topic, MqttMessage message) throws Exception {
      record(topic, message);
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {}

    @Override
    public void mqttErrorOccurred(MqttException exception) {}

    @Override
    public void deliveryComplete(IMqttToken token) {}

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {}

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {}
  }

  /** How the probe connects and what it subscribes to. */
  public static final class Builder {
    private final String url;
    private final List<String> filters = new ArrayList<>();
    private String clientId = "test-probe";
    private int qos = 1;
    private Duration sessionExpiry;
    private SocketFactory sockets;
    private String username;
    private byte[] password;
    private boolean keep = true;
    private Listener listener;

    private Builder(String url) {
      this.url = Objects.requireNonNull(url, "url");
    }

    public Builder clientId(String clientId) {
      this.clientId = clientId;
      return this;
    }

    /** Adds a topic filter; all are subscribed with {@link #qos}. */
    public Builder subscribe(String filter) {
      filters.add(filter);
      return this;
    }

    /** The maximum QoS asked for (1 unless set). */
    public Builder qos(int qos) {
      this.qos = qos;
      return this;
    }

    /**
     * Clean start off and a session the broker keeps for {@code expiry} while the probe is away, so
     * that QoS 1 messages are queued for it.
     */
    public Builder persistentSession(Duration expiry) {
      this.sessionExpiry = expiry;
      return this;
    }

    /** The socket factory (TLS) to connect with; Paho's plain default when unset. */
    public Builder sockets(SocketFactory sockets) {
      this.sockets = sockets;
      return this;
    }

    public Builder credentials(String username, byte[] password) {
      this.username = username;
      this.password = password.clone();
      return this;
    }

    /**
     * Called with each delivery on Paho's thread, in arrival order, before waiters wake; for tests
     * that keep their own index of what arrived.
     */
    public Builder listener(Listener listener) {
      this.listener = listener;
      return this;
    }

    /**
     * Whether {@link #deliveries()} keeps the deliveries (true unless set); a probe with a listener
     * for long runs may leave them to the listener.
     */
    public Builder keepDeliveries(boolean keep) {
      this.keep = keep;
      return this;
    }

    /** Connects and subscribes, or throws when the broker refuses either. */
    public MqttProbe start() throws MqttException {
      if (filters.isEmpty()) {
        throw new IllegalStateException("subscribe to at least one topic filter");
      }
      return new MqttProbe(this);
    }
  }
}
