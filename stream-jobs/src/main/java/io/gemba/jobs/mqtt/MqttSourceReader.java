package io.gemba.jobs.mqtt;

import io.gemba.connect.BrokerEndpoint;
import io.gemba.connect.MqttConnect;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one split: a Paho MQTT v5 client in the shared subscription, with a persistent session and
 * manual acknowledgements. A message is acknowledged to the broker only when the checkpoint that
 * covers it has completed, so the broker keeps every message the job has not safely absorbed and
 * sends it again when a failed job restarts from its last checkpoint: a failure redelivers instead
 * of losing.
 *
 * <p>Paho's callback thread puts messages into a bounded queue, which blocks it when the job falls
 * behind, so the broker holds back instead of the reader running out of memory; Flink's task thread
 * drains the queue and does all the bookkeeping. After a reconnect without a job failure the broker
 * resends the unacknowledged messages with the DUP flag; those this reader already emitted are
 * skipped.
 */
final class MqttSourceReader implements SourceReader<MqttRecord, MqttSplit>, MqttCallback {

  private static final Logger log = LoggerFactory.getLogger(MqttSourceReader.class);
  private static final int QUEUE_CAPACITY = 10_000;

  /** The most QoS 1 messages MQTT lets a client leave unacknowledged. */
  static final int RECEIVE_MAXIMUM = 65_535;

  /** A message as Paho handed it over, before the task thread looked at it. */
  private record Incoming(MqttRecord record, int messageId, boolean duplicate) {}

  private final BrokerEndpoint broker;
  private final String topicFilter;
  private final String group;
  private final Duration sessionExpiry;
  private final SourceReaderContext context;
  private final BlockingQueue<Incoming> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
  private final List<MqttSplit> splits = new ArrayList<>();
  private final Object availabilityLock = new Object();
  private CompletableFuture<Void> available = new CompletableFuture<>();
  private MqttClient client;

  // Task thread only: message ids emitted and not yet acknowledged, in the order received.
  private final List<Integer> emittedSinceSnapshot = new ArrayList<>();
  private final NavigableMap<Long, List<Integer>> awaitingCheckpoint = new TreeMap<>();
  private final Set<Integer> unacknowledged = new HashSet<>();
  private final Counter redeliveriesSkipped;
  private final Counter acknowledged;

  MqttSourceReader(
      BrokerEndpoint broker,
      String topicFilter,
      String group,
      Duration sessionExpiry,
      SourceReaderContext context) {
    this.broker = broker;
    this.topicFilter = topicFilter;
    this.group = group;
    this.sessionExpiry = sessionExpiry;
    this.context = context;
    MetricGroup metrics = context.metricGroup().addGroup("mqtt");
    this.redeliveriesSkipped = metrics.counter("redeliveriesSkipped");
    this.acknowledged = metrics.counter("acknowledged");
    metrics.gauge("unacknowledged", unacknowledged::size);
  }

  @Override
  public void start() {}

  @Override
  public void addSplits(List<MqttSplit> newSplits) {
    splits.addAll(newSplits);
    if (client == null && !splits.isEmpty()) {
      connect();
    }
  }

  private void connect() {
    String clientId = group + "-" + context.getIndexOfSubtask();
    try {
      client = new MqttClient(broker.broker(), clientId, new MemoryPersistence());
      client.setCallback(this);
      client.setManualAcks(true);
      MqttConnectionOptions options = MqttConnect.options(broker, "--mqtt-ca");
      // The session outlives the connection and the job: the broker queues while it is away.
      options.setCleanStart(false);
      options.setSessionExpiryInterval(sessionExpiry.toSeconds());
      options.setAutomaticReconnect(true);
      options.setAutomaticReconnectDelay(1, 10);
      options.setReceiveMaximum(RECEIVE_MAXIMUM);
      client.connect(options);
      subscribe();
      log.info(
          "mqtt source connected broker={} clientId={} filter={} sessionExpiry={}",
          broker.broker(),
          clientId,
          sharedFilter(),
          sessionExpiry);
    } catch (MqttException e) {
      throw new IllegalStateException(
          "MQTT source cannot connect to "
              + broker.broker()
              + " as "
              + clientId
              + " (user "
              + broker.username()
              + "): "
              + e.getMessage(),
          e);
    }
  }

  private String sharedFilter() {
    return "$share/" + group + "/" + topicFilter;
  }

  private void subscribe() throws MqttException {
    // The array form: Paho 1.2.5's subscribe(String, int, listener) overload recurses forever.
    client.subscribe(new MqttSubscription[] {new MqttSubscription(sharedFilter(), 1)});
  }

  @Override
  public InputStatus pollNext(ReaderOutput<MqttRecord> output) {
    Incoming incoming = queue.poll();
    if (incoming == null) {
      return InputStatus.NOTHING_AVAILABLE;
    }
    int id = incoming.messageId();
    if (id != 0 && incoming.duplicate() && unacknowledged.contains(id)) {
      // Sent again after a reconnect; emitted before, acknowledged with its checkpoint.
      redeliveriesSkipped.inc();
    } else {
      output.collect(incoming.record());
      if (id != 0) {
        emittedSinceSnapshot.add(id);
        unacknowledged.add(id);
      }
    }
    return queue.isEmpty() ? InputStatus.NOTHING_AVAILABLE : InputStatus.MORE_AVAILABLE;
  }

  @Override
  public CompletableFuture<Void> isAvailable() {
    synchronized (availabilityLock) {
      if (!queue.isEmpty()) {
        return CompletableFuture.completedFuture(null);
      }
      if (available.isDone()) {
        available = new CompletableFuture<>();
      }
      return available;
    }
  }

  @Override
  public void messageArrived(String topic, MqttMessage message) throws InterruptedException {
    queue.put(
        new Incoming(
            new MqttRecord(topic, message.getPayload(), System.currentTimeMillis()),
            message.getId(),
            message.isDuplicate()));
    synchronized (availabilityLock) {
      available.complete(null);
    }
  }

  @Override
  public void connectComplete(boolean reconnect, String serverUri) {
    if (reconnect) {
      // The session keeps the subscription unless it expired meanwhile; subscribing is harmless.
      try {
        subscribe();
        log.info("mqtt source resubscribed broker={}", serverUri);
      } catch (MqttException e) {
        log.error("mqtt source resubscribe failed broker={} reason={}", serverUri, e.getMessage());
      }
    }
  }

  @Override
  public void disconnected(MqttDisconnectResponse response) {
    log.warn("mqtt source disconnected reason={}", response.getReasonString());
  }

  @Override
  public void mqttErrorOccurred(MqttException exception) {
    log.warn("mqtt source error reason={}", exception.getMessage());
  }

  @Override
  public void deliveryComplete(IMqttToken token) {}

  @Override
  public void authPacketArrived(int reasonCode, MqttProperties properties) {}

  @Override
  public List<MqttSplit> snapshotState(long checkpointId) {
    // What was emitted before this barrier is in this checkpoint; acknowledge it once it completes.
    awaitingCheckpoint.put(checkpointId, List.copyOf(emittedSinceSnapshot));
    emittedSinceSnapshot.clear();
    return List.copyOf(splits);
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) {
    // A completed checkpoint subsumes the earlier ones, whose notifications may never come.
    Map<Long, List<Integer>> covered = awaitingCheckpoint.headMap(checkpointId, true);
    for (List<Integer> ids : covered.values()) {
      for (int id : ids) {
        acknowledge(id);
      }
    }
    covered.clear();
  }

  private void acknowledge(int id) {
    unacknowledged.remove(id);
    try {
      client.messageArrivedComplete(id, 1);
      acknowledged.inc();
    } catch (MqttException e) {
      // Not acknowledged: the broker sends it again, and the job absorbs the duplicate.
      log.warn("mqtt source acknowledgement failed messageId={} reason={}", id, e.getMessage());
    }
  }

  @Override
  public void notifyNoMoreSplits() {}

  @Override
  public void close() throws Exception {
    if (client != null) {
      try {
        if (client.isConnected()) {
          client.disconnect(2_000);
        }
      } finally {
        client.close(true);
      }
    }
  }
}
