package io.gemba.jobs.mqtt;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;
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
 * Reads one split: a Paho MQTT v5 client in the shared subscription. Paho's callback thread puts
 * messages into a bounded queue, which blocks it when the job falls behind, so the broker holds
 * back instead of the reader running out of memory; Flink's task thread drains the queue.
 */
final class MqttSourceReader implements SourceReader<MqttRecord, MqttSplit>, MqttCallback {

  private static final Logger log = LoggerFactory.getLogger(MqttSourceReader.class);
  private static final int QUEUE_CAPACITY = 10_000;

  private final String brokerUrl;
  private final String topicFilter;
  private final String group;
  private final SourceReaderContext context;
  private final BlockingQueue<MqttRecord> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
  private final List<MqttSplit> splits = new ArrayList<>();
  private final Object availabilityLock = new Object();
  private CompletableFuture<Void> available = new CompletableFuture<>();
  private MqttClient client;

  MqttSourceReader(
      String brokerUrl, String topicFilter, String group, SourceReaderContext context) {
    this.brokerUrl = brokerUrl;
    this.topicFilter = topicFilter;
    this.group = group;
    this.context = context;
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
      client = new MqttClient(brokerUrl, clientId, new MemoryPersistence());
      client.setCallback(this);
      MqttConnectionOptions options = new MqttConnectionOptions();
      options.setCleanStart(true);
      options.setAutomaticReconnect(true);
      options.setAutomaticReconnectDelay(1, 10);
      options.setReceiveMaximum(1000);
      client.connect(options);
      subscribe();
      log.info(
          "mqtt source connected broker={} clientId={} filter={}",
          brokerUrl,
          clientId,
          sharedFilter());
    } catch (MqttException e) {
      throw new IllegalStateException(
          "MQTT source cannot connect to " + brokerUrl + " as " + clientId + ": " + e.getMessage(),
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
    MqttRecord record = queue.poll();
    if (record == null) {
      return InputStatus.NOTHING_AVAILABLE;
    }
    output.collect(record);
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
    queue.put(new MqttRecord(topic, message.getPayload(), System.currentTimeMillis()));
    synchronized (availabilityLock) {
      available.complete(null);
    }
  }

  @Override
  public void connectComplete(boolean reconnect, String serverUri) {
    if (reconnect) {
      // A clean-start session forgets its subscriptions; subscribe again.
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
    return List.copyOf(splits);
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
