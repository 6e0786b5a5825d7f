package io.gemba.edge;

import io.gemba.edge.config.GatewayConfig;
import io.gemba.edge.config.MachineSource;
import io.gemba.edge.northbound.EnvelopeBatcher;
import io.gemba.edge.northbound.Forwarder;
import io.gemba.edge.northbound.MqttUplink;
import io.gemba.edge.opcua.OpcUaMachineReader;
import io.gemba.model.envelope.MachineRef;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway process: one reader per configured machine feeding one batcher, and a forwarder that
 * sends the batches to the plant broker every {@code uplink.batchDelayMs}.
 */
public final class EdgeAgent implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EdgeAgent.class);
  private static final int QUEUE_CAPACITY = 100_000;

  private final GatewayConfig config;
  private final EnvelopeBatcher batcher;
  private final MqttUplink uplink;
  private final Forwarder forwarder;
  private final List<OpcUaMachineReader> readers = new ArrayList<>();
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "edge-forwarder");
            t.setDaemon(true);
            return t;
          });

  private EdgeAgent(GatewayConfig config) {
    this.config = config;
    // Sequence numbers start at the start time in milliseconds, so that they keep rising across
    // restarts of a gateway that keeps no state on disk.
    this.batcher =
        new EnvelopeBatcher(
            config.gateway().id(), System.currentTimeMillis(), System::currentTimeMillis);
    this.uplink = new MqttUplink(config.uplink(), "gemba-edge-" + config.gateway().id());
    this.forwarder = new Forwarder(batcher, uplink, QUEUE_CAPACITY);
  }

  /** Starts reading every machine and forwarding to the broker. */
  public static EdgeAgent start(GatewayConfig config) {
    EdgeAgent agent = new EdgeAgent(config);
    agent.uplink.ensureConnected();
    for (MachineSource machine : config.machines()) {
      MachineRef ref = new MachineRef(config.gateway().factory(), machine.line(), machine.id());
      OpcUaMachineReader reader = new OpcUaMachineReader(ref, machine.opcua(), agent.batcher);
      agent.readers.add(reader);
      reader.start();
    }
    long delay = config.uplink().batchDelayMs();
    agent.scheduler.scheduleWithFixedDelay(agent::forward, delay, delay, TimeUnit.MILLISECONDS);
    log.info(
        "edge agent started gateway={} factory={} machines={} broker={}",
        config.gateway().id(),
        config.gateway().factory(),
        config.machines().size(),
        config.uplink().broker());
    return agent;
  }

  private void forward() {
    try {
      forwarder.runOnce();
    } catch (RuntimeException e) {
      log.error("forwarding failed", e);
    }
  }

  /** True when every machine's subscription is in place. */
  public boolean allMachinesConnected() {
    return readers.stream().allMatch(OpcUaMachineReader::isConnected);
  }

  public long readingsIn() {
    return batcher.readingsIn();
  }

  public long envelopesSent() {
    return forwarder.envelopesSent();
  }

  public long envelopesDropped() {
    return forwarder.envelopesDropped();
  }

  @Override
  public void close() {
    readers.forEach(OpcUaMachineReader::close);
    scheduler.shutdown();
    try {
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // Send what was read before stopping.
    forwarder.runOnce();
    uplink.close();
    log.info(
        "edge agent stopped gateway={} sent={} queued={}",
        config.gateway().id(),
        forwarder.envelopesSent(),
        forwarder.queued());
  }
}
