package io.gemba.deploy.bench;

import com.sun.management.OperatingSystemMXBean;
import io.gemba.edge.buffer.SegmentLog;
import io.gemba.edge.metrics.EdgeMetrics;
import io.gemba.edge.northbound.EnvelopeBatcher;
import io.gemba.edge.northbound.Forwarder;
import io.gemba.edge.northbound.MqttUplink;
import io.gemba.edge.northbound.Uplink;
import io.gemba.model.envelope.Envelope;
import io.gemba.model.envelope.EnvelopeCodec;
import io.gemba.model.envelope.MachineRef;
import io.gemba.model.envelope.Quality;
import io.gemba.model.envelope.SignalValue;
import io.gemba.model.envelope.Topics;
import io.gemba.services.MosquittoBroker;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;

/**
 * The edge agent's pipeline after the southbound readers: readings into the batcher, envelopes
 * every 100 ms into the disk buffer (fsync on), sent at MQTT v5 QoS 1 to a real mosquitto and
 * received by a subscriber in the same JVM. Two runs: as fast as possible (throughput, CPU seconds
 * per value), and at a fixed rate (latency from reading to subscriber, p50/p99).
 *
 * <p>Latency figures leave out readings made in the first 3 s (connection set-up, JIT compilation),
 * which otherwise dominated the p99.
 *
 * <p>In the saturation run the producer waits while more than 200,000 readings or 5,000 envelopes
 * are pending, so the figure is a rate the pipeline sustains, not what the producer can push.
 *
 * <p>{@code java -cp 'deploy/target/gemba-deploy.jar:deploy/target/lib/*'
 * io.gemba.deploy.bench.EdgePipelineBench [machines] [seconds] [fixedRate] [batchDelayMs] [fsync]}.
 * It lives in deploy because it wires several modules together, as the demo does.
 */
public final class EdgePipelineBench {

  private static boolean fsync = true;
  private static final long WARMUP_US = 3_000_000;

  public static void main(String[] args) throws Exception {
    int machines = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int fixedRate = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
    int batchDelayMs = args.length > 3 ? Integer.parseInt(args[3]) : 100;
    fsync = args.length <= 4 || Boolean.parseBoolean(args[4]);
    Path dir = Files.createTempDirectory("gemba-bench");
    try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mosquitto"))) {
      run("saturation", broker, dir.resolve("buffer-1"), machines, seconds, 0, batchDelayMs);
      run(
          "fixed-rate",
          broker,
          dir.resolve("buffer-2"),
          machines,
          seconds,
          fixedRate,
          batchDelayMs);
    }
  }

  private static void run(
      String name,
      MosquittoBroker broker,
      Path bufferDir,
      int machines,
      int seconds,
      int rate,
      int batchDelayMs)
      throws Exception {
    EnvelopeCodec codec = new EnvelopeCodec();
    AtomicLong received = new AtomicLong();
    long[] latencies = new long[8_000_000];
    AtomicLong latencyCount = new AtomicLong();
    AtomicLong measureFrom = new AtomicLong(Long.MAX_VALUE);
    MqttClient subscriber =
        new MqttClient(broker.url(), "bench-sub-" + name, new MemoryPersistence());
    subscriber.connect(new MqttConnectionOptions());
    subscriber.subscribe(
        new MqttSubscription[] {new MqttSubscription(Topics.ALL_TELEMETRY, 1)},
        new IMqttMessageListener[] {
          (topic, message) -> {
            long now = System.nanoTime() / 1_000;
            Envelope e = codec.decode(message.getPayload());
            received.addAndGet(e.size());
            for (SignalValue v : e.values()) {
              // The value field carries the reading's creation time in microseconds. The first
              // seconds (connection, JIT compilation) are left out of the latency figures.
              if ((long) v.value() < measureFrom.get()) {
                continue;
              }
              long i = latencyCount.getAndIncrement();
              if (i < latencies.length) {
                latencies[(int) i] = now - (long) v.value();
              }
            }
          }
        });

    EdgeMetrics metrics = new EdgeMetrics("bench");
    EnvelopeBatcher batcher = new EnvelopeBatcher("gw-bench", 1, System::currentTimeMillis);
    SegmentLog buffer = SegmentLog.open(bufferDir, 1L << 30, 16L << 20);
    MqttUplink uplink =
        new MqttUplink(
            new Uplink(broker.url(), null, null, 100, null, 20, null, null, null),
            "bench-" + name,
            metrics);
    Forwarder forwarder = new Forwarder(batcher, buffer, uplink, metrics, fsync, 20);
    List<MachineRef> refs = new ArrayList<>();
    for (int m = 0; m < machines; m++) {
      refs.add(new MachineRef("bench", "line", "m-" + m));
    }
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpuStart = os.getProcessCpuTime();
    long wallStart = System.nanoTime();
    measureFrom.set(wallStart / 1_000 + WARMUP_US);
    long end = wallStart + seconds * 1_000_000_000L;
    AtomicLong produced = new AtomicLong();
    java.util.concurrent.atomic.AtomicBoolean producing =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    java.util.concurrent.atomic.AtomicBoolean allStored =
        new java.util.concurrent.atomic.AtomicBoolean(false);
    Thread storer =
        new Thread(
            () -> {
              while (producing.get()) {
                forwarder.store();
                sleep(batchDelayMs);
              }
            });
    Thread sender =
        new Thread(
            () -> {
              while (!allStored.get() || forwarder.hasBacklog()) {
                if (forwarder.sendOnce() == 0) {
                  sleep(1);
                }
              }
            });
    storer.start();
    sender.start();
    long i = 0;
    while (System.nanoTime() < end) {
      if (rate > 0) {
        long due = wallStart + i * 1_000_000_000L / rate;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          java.util.concurrent.locks.LockSupport.parkNanos(wait);
        }
      } else {
        // Saturation: go as fast as the pipeline keeps up, not faster.
        while ((batcher.pendingReadings() > 200_000 || buffer.depth() > 5_000)
            && System.nanoTime() < end) {
          java.util.concurrent.locks.LockSupport.parkNanos(200_000);
        }
      }
      MachineRef ref = refs.get((int) (i % machines));
      batcher.signal(
          ref,
          new SignalValue(
              "s", System.currentTimeMillis(), System.nanoTime() / 1_000, Quality.GOOD));
      i++;
    }
    double producingSeconds = (System.nanoTime() - wallStart) / 1e9;
    produced.set(i);
    producing.set(false);
    storer.join();
    forwarder.store();
    allStored.set(true);
    sender.join();
    long deadline = System.currentTimeMillis() + 30_000;
    while (received.get() < produced.get() && System.currentTimeMillis() < deadline) {
      Thread.sleep(5);
    }
    double wall = (System.nanoTime() - wallStart) / 1e9;
    double cpu = (os.getProcessCpuTime() - cpuStart) / 1e9;
    int n = (int) Math.min(latencyCount.get(), latencies.length);
    long[] sorted = Arrays.copyOf(latencies, n);
    Arrays.sort(sorted);
    System.out.printf(
        "%s machines=%d batch_ms=%d fsync=%b produced=%d received=%d lost=%d producing_s=%.1f"
            + " drained_s=%.1f values_per_s=%.0f process_cpu_s=%.1f cpu_us_per_value=%.2f"
            + " envelopes=%d p50_ms=%.1f p99_ms=%.1f%n",
        name,
        machines,
        batchDelayMs,
        fsync,
        produced.get(),
        received.get(),
        produced.get() - received.get(),
        producingSeconds,
        wall,
        received.get() / wall,
        cpu,
        cpu * 1e6 / Math.max(1, received.get()),
        (long) metrics.envelopesSent(),
        n == 0 ? Double.NaN : sorted[n / 2] / 1000.0,
        n == 0 ? Double.NaN : sorted[(int) (n * 0.99)] / 1000.0);
    uplink.close();
    buffer.close();
    subscriber.disconnect();
    subscriber.close();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
