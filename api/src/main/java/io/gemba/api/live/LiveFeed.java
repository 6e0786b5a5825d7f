package io.gemba.api.live;

import io.gemba.connect.BrokerEndpoint;
import io.gemba.connect.MqttConnect;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The KPI job's live topics, brought into the API: every {@code .../kpi/<kind>} message becomes an
 * event with an id that only grows, published on the Vert.x event bus to the streams it belongs to,
 * and kept (the latest per topic, and the last {@link #REPLAY} per stream) so that a client that
 * connects sees the current figures at once, and one that reconnects with {@code Last-Event-ID}
 * gets what it missed.
 *
 * <p>Streams: {@code park} (the park's and the factories' figures, and every anomaly), {@code
 * factory/<f>} (the factory's, its lines', its machines' anomalies), {@code line/<f>/<l>} (the
 * line's and its machines'), {@code machine/<m>} (the machine's).
 */
public final class LiveFeed implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LiveFeed.class);

  /** Events kept per stream for clients that reconnect. */
  public static final int REPLAY = 500;

  /** The event bus address of a stream. */
  public static String address(String stream) {
    return "gemba.live." + stream;
  }

  /** One event: its id, kind ({@code oee}, {@code oee_shift}, {@code anomaly}) and JSON. */
  public record Event(long id, String topic, String kind, String json) {}

  private final Vertx vertx;
  private final MqttClient client;
  private final AtomicLong ids = new AtomicLong(System.currentTimeMillis() * 1000);
  private final Map<String, Event> latestByTopic = new LinkedHashMap<>();
  private final Map<String, Deque<Event>> recent = new LinkedHashMap<>();

  private LiveFeed(Vertx vertx, MqttClient client) {
    this.vertx = vertx;
    this.client = client;
  }

  /** Subscribes to the broker's live topics; reconnects on its own when the broker goes away. */
  public static LiveFeed start(Vertx vertx, BrokerEndpoint broker) throws MqttException {
    // Unique per instance: two API replicas (both pid 1 in containers) must not take over each
    // other's session. A broker that ties client ids to user names replaces it with the user name,
    // so there each replica needs a broker user of its own.
    MqttClient client =
        new MqttClient(
            broker.broker(),
            "gemba-api-live-" + UUID.randomUUID().toString().substring(0, 8),
            new MemoryPersistence());
    LiveFeed feed = new LiveFeed(vertx, client);
    MqttConnectionOptions options = MqttConnect.options(broker, "--mqtt-ca");
    options.setAutomaticReconnect(true);
    options.setAutomaticReconnectDelay(1, 10);
    options.setCleanStart(true);
    client.connect(options);
    String[] filters = {
      "gemba/v1/kpi/+", "gemba/v1/+/kpi/+", "gemba/v1/+/+/kpi/+", "gemba/v1/+/+/+/kpi/+"
    };
    MqttSubscription[] subscriptions = new MqttSubscription[filters.length];
    IMqttMessageListener[] listeners = new IMqttMessageListener[filters.length];
    for (int i = 0; i < filters.length; i++) {
      subscriptions[i] = new MqttSubscription(filters[i], 1);
      listeners[i] = (topic, message) -> feed.accept(topic, message.getPayload());
    }
    client.subscribe(subscriptions, listeners);
    log.info("live feed subscribed broker={} user={}", broker.broker(), broker.username());
    return feed;
  }

  /** Takes one live message; the streams it belongs to follow from its topic. */
  void accept(String topic, byte[] payload) {
    List<String> streams = streamsOf(topic);
    if (streams.isEmpty()) {
      return;
    }
    String json;
    try {
      json = new JsonObject(new String(payload, StandardCharsets.UTF_8)).encode();
    } catch (DecodeException e) {
      log.warn("live message not JSON, skipped topic={}", topic);
      return;
    }
    String kind = topic.substring(topic.lastIndexOf('/') + 1);
    Event event = new Event(ids.incrementAndGet(), topic, kind, json);
    synchronized (this) {
      if (!kind.equals("anomaly")) {
        latestByTopic.remove(topic);
        latestByTopic.put(topic, event);
      }
      for (String stream : streams) {
        Deque<Event> q = recent.computeIfAbsent(stream, s -> new ArrayDeque<>());
        q.addLast(event);
        if (q.size() > REPLAY) {
          q.removeFirst();
        }
      }
    }
    for (String stream : streams) {
      vertx.eventBus().publish(address(stream), toJson(event));
    }
  }

  /** The event as it travels on the event bus. */
  public static JsonObject toJson(Event e) {
    return new JsonObject()
        .put("id", e.id())
        .put("topic", e.topic())
        .put("kind", e.kind())
        .put("json", e.json());
  }

  /**
   * The streams a topic's messages go to; empty for a topic that is not a live KPI topic. Topics:
   * {@code gemba/v1/kpi/k}, {@code gemba/v1/f/kpi/k}, {@code gemba/v1/f/l/kpi/k}, {@code
   * gemba/v1/f/l/m/kpi/k}.
   */
  static List<String> streamsOf(String topic) {
    String[] p = topic.split("/");
    if (p.length < 4
        || !p[0].equals("gemba")
        || !p[1].equals("v1")
        || !p[p.length - 2].equals("kpi")) {
      return List.of();
    }
    String kind = p[p.length - 1];
    List<String> out = new ArrayList<>();
    switch (p.length) {
      case 4 -> out.add("park");
      case 5 -> {
        out.add("park");
        out.add("factory/" + p[2]);
      }
      case 6 -> {
        out.add("factory/" + p[2]);
        out.add("line/" + p[2] + "/" + p[3]);
      }
      case 7 -> {
        out.add("line/" + p[2] + "/" + p[3]);
        out.add("machine/" + p[4]);
        if (kind.equals("anomaly")) {
          out.add("factory/" + p[2]);
          out.add("park");
        }
      }
      default -> {
        return List.of();
      }
    }
    return out;
  }

  /**
   * What a client of {@code stream} gets on connecting: with {@code lastEventId}, the kept events
   * after it; without, the latest figure of every topic of the stream.
   */
  public synchronized List<Event> catchUp(String stream, Long lastEventId) {
    List<Event> out = new ArrayList<>();
    if (lastEventId != null) {
      for (Event e : recent.getOrDefault(stream, new ArrayDeque<>())) {
        if (e.id() > lastEventId) {
          out.add(e);
        }
      }
      return out;
    }
    for (Event e : latestByTopic.values()) {
      if (streamsOf(e.topic()).contains(stream)) {
        out.add(e);
      }
    }
    out.sort((a, b) -> Long.compare(a.id(), b.id()));
    return out;
  }

  @Override
  public void close() {
    try {
      if (client.isConnected()) {
        client.disconnect(1_000);
      }
      client.close(true);
    } catch (MqttException e) {
      log.debug("live feed close failed reason={}", e.getMessage());
    }
  }
}
