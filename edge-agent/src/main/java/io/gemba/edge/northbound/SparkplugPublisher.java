package io.gemba.edge.northbound;

import io.gemba.connect.MqttConnect;
import io.gemba.edge.metrics.EdgeMetrics;
import io.gemba.model.envelope.CounterReading;
import io.gemba.model.envelope.Envelope;
import io.gemba.model.envelope.SignalValue;
import io.gemba.model.envelope.StateChange;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.tahu.SparkplugInvalidTypeException;
import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes what the gateway reads as Sparkplug B, for plants whose SCADA speaks it: the gateway is
 * an edge node, each machine a device. NBIRTH on every connection (with a new {@code bdSeq}, the
 * NDEATH registered as the connection's will), a DBIRTH per machine before its first data and again
 * when it reports a metric not yet announced, DDATA per envelope with each reading's timestamp,
 * sequence numbers 0–255 across the node's messages, and a rebirth on {@code Node Control/Rebirth}.
 * Live data only: the envelopes' store-and-forward is the lossless path, and what this output
 * cannot send while its broker is away is dropped and counted.
 */
public final class SparkplugPublisher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SparkplugPublisher.class);
  private static final int QUEUE = 10_000;

  private final Uplink uplink;
  private final String groupId;
  private final String edgeNode;
  private final String clientId;
  private final BlockingQueue<Envelope> queue = new ArrayBlockingQueue<>(QUEUE);
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong published = new AtomicLong();
  private final Map<String, List<String>> born = new LinkedHashMap<>();
  private final Map<String, Map<String, Metric>> lastValues = new LinkedHashMap<>();
  private final Thread worker;
  private volatile boolean running = true;
  private volatile boolean rebirth;
  private MqttClient client;
  private long bdSeq = -1;
  private long seq;

  public SparkplugPublisher(Uplink uplink, String gatewayId, EdgeMetrics metrics) {
    SparkplugOutput output = uplink.sparkplug();
    this.uplink = uplink;
    this.groupId = output.groupId();
    this.edgeNode = output.edgeNode() != null ? output.edgeNode() : gatewayId;
    this.clientId = "gemba-edge-" + gatewayId + "-sparkplug";
    metrics.counter(
        "gemba.edge.sparkplug.published",
        "Sparkplug B messages published (births and data)",
        published::get);
    metrics.counter(
        "gemba.edge.sparkplug.dropped",
        "Envelopes the Sparkplug output dropped while its broker was away (live data only)",
        dropped::get);
    this.worker = new Thread(this::run, "sparkplug-out");
    worker.setDaemon(true);
  }

  public void start() {
    worker.start();
  }

  /** Hands over new envelopes without waiting; drops (and counts) when the output is behind. */
  public void offer(List<Envelope> envelopes) {
    for (Envelope e : envelopes) {
      if (!queue.offer(e)) {
        dropped.incrementAndGet();
      }
    }
  }

  private String topic(String type, String device) {
    return "spBv1.0/"
        + groupId
        + "/"
        + type
        + "/"
        + edgeNode
        + (device == null ? "" : "/" + device);
  }

  private void run() {
    while (running) {
      try {
        if (client == null || !client.isConnected()) {
          connect();
        }
        if (rebirth) {
          rebirth = false;
          birth();
        }
        Envelope envelope = queue.poll(200, TimeUnit.MILLISECONDS);
        if (envelope != null) {
          publish(envelope);
        }
      } catch (MqttException | IOException | SparkplugInvalidTypeException e) {
        log.warn("sparkplug output failed reason={}; reconnecting", e.getMessage());
        closeClient();
        sleepQuietly();
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void connect()
      throws MqttException, IOException, SparkplugInvalidTypeException, InterruptedException {
    closeClient();
    bdSeq = (bdSeq + 1) % 256;
    MqttConnectionOptions options = MqttConnect.options(uplink.sparkplugEndpoint(), "uplink.tls");
    options.setCleanStart(true);
    options.setConnectionTimeout(5);
    options.setKeepAliveInterval(10);
    MqttMessage will = new MqttMessage(encode(nodePayload(null, false)));
    will.setQos(1);
    options.setWill(topic("NDEATH", null), will);
    MqttClient fresh = new MqttClient(uplink.broker(), clientId, new MemoryPersistence());
    try {
      fresh.connect(options);
    } catch (MqttException e) {
      fresh.close(true);
      // Queued envelopes are live data: while the broker is away they are dropped, not kept.
      dropped.addAndGet(queue.size());
      queue.clear();
      throw e;
    }
    client = fresh;
    IMqttMessageListener onCommand =
        (t, m) -> {
          SparkplugBPayload command =
              new SparkplugBPayloadDecoder().buildFromByteArray(m.getPayload(), null);
          for (Metric metric : command.getMetrics()) {
            if (metric != null
                && "Node Control/Rebirth".equals(metric.getName())
                && Boolean.TRUE.equals(metric.getValue())) {
              rebirth = true;
            }
          }
        };
    fresh.subscribe(
        new MqttSubscription[] {new MqttSubscription(topic("NCMD", null), 1)},
        new IMqttMessageListener[] {onCommand});
    birth();
    log.info(
        "sparkplug output connected broker={} group={} edgeNode={} bdSeq={}",
        uplink.broker(),
        groupId,
        edgeNode,
        bdSeq);
  }

  /** NBIRTH, then a DBIRTH for every machine seen so far. */
  private void birth() throws MqttException, IOException, SparkplugInvalidTypeException {
    seq = 0;
    send(topic("NBIRTH", null), nodePayload(0L, true));
    born.clear();
    for (Map.Entry<String, Map<String, Metric>> device : lastValues.entrySet()) {
      deviceBirth(device.getKey(), List.copyOf(device.getValue().values()));
    }
  }

  private SparkplugBPayload nodePayload(Long payloadSeq, boolean withRebirth)
      throws SparkplugInvalidTypeException {
    SparkplugBPayload.SparkplugBPayloadBuilder builder =
        new SparkplugBPayload.SparkplugBPayloadBuilder()
            .setTimestamp(new Date())
            .addMetric(
                new Metric.MetricBuilder("bdSeq", MetricDataType.Int64, bdSeq).createMetric());
    if (payloadSeq != null) {
      builder.setSeq(payloadSeq);
    }
    if (withRebirth) {
      builder.addMetric(
          new Metric.MetricBuilder("Node Control/Rebirth", MetricDataType.Boolean, false)
              .createMetric());
    }
    return builder.createPayload();
  }

  private void publish(Envelope envelope)
      throws MqttException, IOException, SparkplugInvalidTypeException {
    String device = envelope.machine().id();
    List<Metric> metrics = metrics(envelope);
    Map<String, Metric> last = lastValues.computeIfAbsent(device, d -> new LinkedHashMap<>());
    boolean newMetric = false;
    for (Metric m : metrics) {
      newMetric |= !born.getOrDefault(device, List.of()).contains(m.getName());
      last.put(m.getName(), m);
    }
    if (newMetric) {
      deviceBirth(device, List.copyOf(last.values()));
    }
    send(topic("DDATA", device), payload(metrics));
  }

  private void deviceBirth(String device, List<Metric> metrics) throws MqttException, IOException {
    send(topic("DBIRTH", device), payload(metrics));
    born.put(device, metrics.stream().map(Metric::getName).toList());
  }

  private static List<Metric> metrics(Envelope envelope) throws SparkplugInvalidTypeException {
    List<Metric> metrics = new ArrayList<>();
    for (SignalValue v : envelope.values()) {
      metrics.add(
          new Metric.MetricBuilder(v.signal(), MetricDataType.Double, v.value())
              .timestamp(new Date(v.ts()))
              .createMetric());
    }
    for (StateChange s : envelope.states()) {
      metrics.add(
          new Metric.MetricBuilder("state", MetricDataType.String, s.effectiveState().wireName())
              .timestamp(new Date(s.ts()))
              .createMetric());
    }
    for (CounterReading c : envelope.counters()) {
      metrics.add(
          new Metric.MetricBuilder(
                  "parts/" + c.counter().wireName(),
                  MetricDataType.UInt64,
                  BigInteger.valueOf(c.value()))
              .timestamp(new Date(c.ts()))
              .createMetric());
    }
    return metrics;
  }

  private SparkplugBPayload payload(List<Metric> metrics) {
    return new SparkplugBPayload.SparkplugBPayloadBuilder()
        .setTimestamp(new Date())
        .addMetrics(metrics)
        .createPayload();
  }

  private void send(String topic, SparkplugBPayload payload) throws MqttException, IOException {
    if (!topic.contains("/NBIRTH/")) {
      seq = (seq + 1) % 256;
    }
    SparkplugBPayload numbered =
        new SparkplugBPayload(
            payload.getTimestamp(),
            payload.getMetrics(),
            topic.contains("/NBIRTH/") ? 0L : seq,
            null,
            null);
    client.publish(topic, encode(numbered), 0, false);
    published.incrementAndGet();
  }

  private static byte[] encode(SparkplugBPayload payload) throws IOException {
    return new SparkplugBPayloadEncoder().getBytes(payload, false);
  }

  public long dropped() {
    return dropped.get();
  }

  private void closeClient() {
    MqttClient c = client;
    client = null;
    if (c == null) {
      return;
    }
    try {
      c.close(true);
    } catch (MqttException e) {
      log.debug("sparkplug output close failed reason={}", e.getMessage());
    }
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Announces the node's death (a clean disconnect does not send the will) and disconnects. */
  @Override
  public void close() {
    running = false;
    worker.interrupt();
    try {
      worker.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    MqttClient c = client;
    if (c != null && c.isConnected()) {
      try {
        c.publish(topic("NDEATH", null), encode(nodePayload(null, false)), 1, false);
        c.disconnect(1_000);
      } catch (MqttException | IOException | SparkplugInvalidTypeException e) {
        log.debug("sparkplug output death failed reason={}", e.getMessage());
      }
    }
    closeClient();
  }
}
