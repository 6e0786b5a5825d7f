package io.gemba.deploy.bench;

import io.gemba.model.envelope.Envelope;
import io.gemba.model.envelope.EnvelopeCodec;
import io.gemba.model.envelope.SignalValue;
import io.gemba.model.envelope.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;

/**
 * The receiving end of the edge-agent harnesses: subscribes to every telemetry topic at QoS 1 and,
 * while measuring, counts the signal values that arrive and their latency from each value's
 * timestamp to arrival, in a histogram of whole milliseconds.
 */
final class TelemetryTally implements AutoCloseable {

  private final MqttClient subscriber;
  private final AtomicLong received = new AtomicLong();
  private final AtomicBoolean measuring = new AtomicBoolean();
  private final AtomicLongArray histogram = new AtomicLongArray(10_000);

  TelemetryTally(String broker, String clientId) throws MqttException {
    EnvelopeCodec codec = new EnvelopeCodec();
    subscriber = new MqttClient(broker, clientId, new MemoryPersistence());
    subscriber.connect(new MqttConnectionOptions());
    subscriber.subscribe(
        new MqttSubscription[] {new MqttSubscription(Topics.ALL_TELEMETRY, 1)},
        new IMqttMessageListener[] {
          (topic, message) -> {
            long now = System.currentTimeMillis();
            Envelope e = codec.decode(message.getPayload());
            if (!measuring.get()) {
              return;
            }
            received.addAndGet(e.values().size());
            for (SignalValue v : e.values()) {
              histogram.incrementAndGet((int) Math.min(9_999, Math.max(0, now - v.ts())));
            }
          }
        });
  }

  /** Starts or stops counting. */
  void measuring(boolean on) {
    measuring.set(on);
  }

  /** Values counted while measuring. */
  long values() {
    return received.get();
  }

  /** The latency below which a share {@code p} of the counted values arrived, in ms. */
  long percentile(double p) {
    long total = 0;
    for (int i = 0; i < histogram.length(); i++) {
      total += histogram.get(i);
    }
    long target = (long) Math.ceil(total * p);
    long seen = 0;
    for (int i = 0; i < histogram.length(); i++) {
      seen += histogram.get(i);
      if (seen >= target && total > 0) {
        return i;
      }
    }
    return -1;
  }

  /** User plus system CPU of a process, in clock ticks (1/100 s on Linux). */
  static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  @Override
  public void close() throws MqttException {
    subscriber.disconnect();
    subscriber.close();
  }
}
