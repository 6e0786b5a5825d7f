package io.gemba.edge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gemba.edge.buffer.SegmentLog;
import io.gemba.edge.buffer.SessionNumbers;
import io.gemba.edge.config.GatewayConfig;
import io.gemba.edge.config.MachineSource;
import io.gemba.edge.metrics.EdgeMetrics;
import io.gemba.edge.metrics.MetricsServer;
import io.gemba.edge.northbound.EnvelopeBatcher;
import io.gemba.edge.northbound.Forwarder;
import io.gemba.edge.northbound.ForwardingLoop;
import io.gemba.edge.northbound.MqttUplink;
import io.gemba.edge.northbound.ReadingSink;
import io.gemba.edge.northbound.SparkplugPublisher;
import io.gemba.edge.southbound.MachineReader;
import io.gemba.edge.southbound.MachineReaders;
import io.gemba.edge.southbound.SourceClockGuard;
import io.gemba.edge.southbound.mqtt.SouthboundConnections;
import io.gemba.edge.southbound.opcua.ClientPki;
import io.gemba.model.envelope.MachineRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway process. Readers put readings into the batcher; every {@code batchDelayMs} the
 * batcher's envelopes are written to the disk buffer; a sender thread sends the buffer's oldest
 * envelopes and releases them when the broker acknowledged them.
 */
public final class EdgeAgent implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EdgeAgent.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final GatewayConfig config;
  private final EdgeMetrics metrics;
  private final SegmentLog buffer;
  private final EnvelopeBatcher batcher;
  private final MqttUplink uplink;
  private final Forwarder forwarder;
  private final List<MachineReader> readers = new ArrayList<>();
  private final ClientPki pki;
  private final SparkplugPublisher sparkplug;
  private final ForwardingLoop forwarding;
  private MetricsServer metricsServer;
  private final SouthboundConnections southbound;

  private EdgeAgent(GatewayConfig config) {
    this.config = config;
    this.metrics = new EdgeMetrics(config.gateway().id());
    this.buffer =
        SegmentLog.open(
            config.buffer().dir(),
            config.buffer().maxBytes().bytes(),
            config.buffer().segmentBytes());
    this.batcher =
        new EnvelopeBatcher(
            config.gateway().id(),
            SessionNumbers.next(config.buffer().dir(), System::currentTimeMillis),
            System::currentTimeMillis);
    this.uplink = new MqttUplink(config.uplink(), "gemba-edge-" + config.gateway().id(), metrics);
    this.southbound = new SouthboundConnections(config.gateway().id());
    this.forwarder =
        new Forwarder(
            batcher,
            buffer,
            uplink,
            metrics,
            config.buffer().fsync(),
            config.uplink().maxInflight());
    this.pki =
        needsPki(config)
            ? ClientPki.open(config.pkiDir(), config.applicationUri(), config.gateway().id())
            : null;
    this.sparkplug =
        config.uplink().sparkplug() == null
            ? null
            : new SparkplugPublisher(config.uplink(), config.gateway().id(), metrics);
    if (sparkplug != null) {
      forwarder.alsoTo(sparkplug::offer);
    }
    this.forwarding = new ForwardingLoop(forwarder, config.uplink().batchDelayMs());
  }

  /** Starts reading every machine and forwarding to the broker. */
  public static EdgeAgent start(GatewayConfig config) {
    EdgeAgent agent = new EdgeAgent(config);
    agent.registerMetrics();
    if (config.metrics() != null) {
      agent.metricsServer =
          new MetricsServer(
              config.metrics().host(), config.metrics().port(), agent.metrics, agent::health);
    }
    ReadingSink sink =
        new SourceClockGuard(
            agent.batcher,
            config.gateway().sourceClock(),
            System::currentTimeMillis,
            agent.metrics::sourceClockOff);
    MachineReaders readers = new MachineReaders(agent.pki, agent.southbound, agent.metrics, sink);
    for (MachineSource machine : config.machines()) {
      MachineReader reader =
          readers.open(
              new MachineRef(config.gateway().factory(), machine.line(), machine.id()), machine);
      agent.readers.add(reader);
      agent.registerReaderMetrics(reader);
      reader.start();
    }
    agent.forwarding.start();
    if (agent.sparkplug != null) {
      agent.sparkplug.start();
    }
    log.info(
        "edge agent started gateway={} factory={} machines={} broker={} buffer={} backlog={}",
        config.gateway().id(),
        config.gateway().factory(),
        config.machines().size(),
        config.uplink().broker(),
        config.buffer().dir(),
        agent.buffer.depth());
    return agent;
  }

  /** The certificate is made only when a machine connects secured. */
  private static boolean needsPki(GatewayConfig config) {
    return config.machines().stream()
        .anyMatch(m -> m.opcua() != null && !m.opcua().security().unsecured());
  }

  /** The gateway's OPC UA certificate and trust lists; null when no machine is secured. */
  public ClientPki pki() {
    return pki;
  }

  private void registerMetrics() {
    metrics.counter(
        "gemba.edge.readings.in",
        "Readings (values, states, counters) read from machines",
        batcher::readingsIn);
    metrics.gauge(
        "gemba.edge.buffer.depth", "Envelopes buffered, not yet acknowledged", buffer::depth);
    metrics.gauge("gemba.edge.buffer.bytes", "Bytes of the buffer on disk", buffer::bytes);
    metrics.counter(
        "gemba.edge.buffer.dropped",
        "Envelopes dropped because the buffer was full (oldest first)",
        buffer::dropped);
    metrics.gauge(
        "gemba.edge.uplink.connected",
        "1 when connected to the broker",
        () -> uplink.isConnected() ? 1 : 0);
  }

  private void registerReaderMetrics(MachineReader reader) {
    metrics.gauge(
        "gemba.edge.machine.connected",
        "1 when the machine's subscription is in place",
        () -> reader.isConnected() ? 1 : 0,
        "machine",
        reader.machineId());
    metrics.gauge(
        "gemba.edge.machine.polled.nodes",
        "Nodes read by polling because the server would not monitor them",
        reader::polledNodes,
        "machine",
        reader.machineId());
    metrics.gauge(
        "gemba.edge.machine.last.value.age.seconds",
        "Seconds since the machine's last data change",
        reader::lastValueAgeSeconds,
        "machine",
        reader.machineId());
  }

  /** What {@code /health} answers: UP when the uplink and every machine are connected. */
  record HealthReport(
      String status, String uplink, long bufferDepth, Map<String, String> machines) {}

  private MetricsServer.Health health() {
    Map<String, Boolean> machines = new LinkedHashMap<>();
    for (MachineReader reader : readers) {
      machines.put(reader.machineId(), reader.isConnected());
    }
    return health(uplink.isConnected(), buffer.depth(), machines);
  }

  /** The health of an agent whose uplink and machines are connected as given, as JSON. */
  static MetricsServer.Health health(
      boolean uplinkConnected, long bufferDepth, Map<String, Boolean> machines) {
    boolean up = uplinkConnected && !machines.containsValue(false);
    Map<String, String> states = new LinkedHashMap<>();
    machines.forEach((id, connected) -> states.put(id, connected ? "connected" : "disconnected"));
    HealthReport report =
        new HealthReport(
            up ? "UP" : "DEGRADED",
            uplinkConnected ? "connected" : "disconnected",
            bufferDepth,
            states);
    try {
      return new MetricsServer.Health(up, JSON.writeValueAsString(report));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("health report not writable", e);
    }
  }

  /** True when every machine's subscription is in place. */
  public boolean allMachinesConnected() {
    return readers.stream().allMatch(MachineReader::isConnected);
  }

  /** Ids of the machines whose connection is up now. */
  public Set<String> connectedMachines() {
    return readers.stream()
        .filter(MachineReader::isConnected)
        .map(MachineReader::machineId)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** Nodes of a machine read by polling, as of its last connection. */
  public int polledNodes(String machineId) {
    return readers.stream()
        .filter(r -> r.machineId().equals(machineId))
        .mapToInt(MachineReader::polledNodes)
        .sum();
  }

  public long readingsIn() {
    return batcher.readingsIn();
  }

  public long envelopesSent() {
    return (long) metrics.envelopesSent();
  }

  public long envelopesDropped() {
    return buffer.dropped();
  }

  /** How often the machine-side MQTT connections were lost since the agent started. */
  public long southboundDisconnects() {
    return southbound.disconnects();
  }

  /** Readings whose source time was out of the gateway's {@code sourceClock.tolerance}. */
  public long sourceClockOff() {
    return (long) metrics.sourceClockOffCount();
  }

  public long southboundRejected() {
    return (long) metrics.southboundRejectedCount();
  }

  /** Every metric as Prometheus text, as {@code GET /metrics} serves it. */
  public String metricsText() {
    return metrics.scrape();
  }

  public long backlog() {
    return buffer.depth();
  }

  /** The metrics port, when metrics are configured. */
  public int metricsPort() {
    return metricsServer == null ? -1 : metricsServer.port();
  }

  @Override
  public void close() {
    closeReaders();
    // What was read is stored; what the broker takes in a few seconds is sent, the rest next start.
    forwarding.stop();
    uplink.close();
    if (sparkplug != null) {
      sparkplug.close();
    }
    if (metricsServer != null) {
      metricsServer.close();
    }
    log.info(
        "edge agent stopped gateway={} sent={} buffered={}",
        config.gateway().id(),
        envelopesSent(),
        buffer.depth());
    buffer.close();
    if (pki != null) {
      pki.close();
    }
  }

  /** All at once: each may wait up to a couple of seconds for a server that is gone. */
  private void closeReaders() {
    List<Thread> closing = new ArrayList<>();
    for (MachineReader reader : readers) {
      Thread t = new Thread(reader::close, "close-" + reader.machineId());
      t.setDaemon(true);
      t.start();
      closing.add(t);
    }
    for (Thread t : closing) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
