package io.gemba.edge.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import io.gemba.edge.config.BrowseSpec;
import io.gemba.edge.config.Deadband;
import io.gemba.edge.config.OpcUaSource;
import io.gemba.edge.config.SignalNode;
import io.gemba.edge.northbound.ReadingSink;
import io.gemba.edge.southbound.MachineReader;
import io.gemba.model.asset.MachineState;
import io.gemba.model.envelope.Counter;
import io.gemba.model.envelope.CounterReading;
import io.gemba.model.envelope.MachineRef;
import io.gemba.model.envelope.Quality;
import io.gemba.model.envelope.SignalValue;
import io.gemba.model.envelope.StateChange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.SessionActivityListener;
import org.eclipse.milo.opcua.sdk.client.UaSession;
import org.eclipse.milo.opcua.sdk.client.subscriptions.MonitoredItemSynchronizationException;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DataChangeTrigger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DeadbandType;
import org.eclipse.milo.opcua.stack.core.types.structured.DataChangeFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one machine over an OPC UA subscription: a monitored item per signal, state and counter
 * node, with the configured sampling intervals, queue sizes and deadbands; every data change
 * becomes a reading with the server's source timestamp and the status code's quality. Signals come
 * from the configured node ids and from browsing the server ({@code browse}), resolved at every
 * connection. Nodes configured with {@code poll}, nodes the server refuses to monitor, and all
 * nodes of a server that refuses subscriptions are read periodically instead. The connection uses
 * the configured security policy, mode and user token, with the gateway's certificate ({@link
 * ClientPki}). Until the first connection succeeds it retries with a backoff of 2 to 10 seconds;
 * after that Milo reactivates the session, and the subscription is created anew if the server
 * cannot transfer it.
 */
public final class OpcUaMachineReader implements MachineReader {

  private static final Logger log = LoggerFactory.getLogger(OpcUaMachineReader.class);
  private static final long FIRST_RETRY_SECONDS = 2;
  private static final long MAX_RETRY_SECONDS = 10;
  private static final long DISCONNECT_SECONDS = 2;

  private final MachineRef machine;
  private final OpcUaSource source;
  private final OpcUaConnector connector;
  private final ReadingSink sink;
  private final ScheduledExecutorService executor;
  private volatile OpcUaClient client;
  private volatile boolean sessionActive;
  private volatile boolean closed;
  private volatile long lastValueAt;
  private long retrySeconds = FIRST_RETRY_SECONDS;
  private final Map<String, SignalFilter> filters = new ConcurrentHashMap<>();
  private final NodePoller poller;
  private volatile List<Watch> watches = List.of();
  private volatile int polledNodes;

  /** One node the machine is read from, and what its values become. */
  private record Watch(
      String node,
      int samplingMs,
      int queueSize,
      boolean discardOldest,
      Deadband deadband,
      boolean poll,
      Consumer<DataValue> onValue) {}

  /**
   * @param pki the gateway's certificate and trust lists; may be null only for policy None
   */
  public OpcUaMachineReader(
      MachineRef machine, OpcUaSource source, ClientPki pki, ReadingSink sink) {
    this.machine = machine;
    this.source = source;
    this.connector =
        new OpcUaConnector(source.endpoint(), source.security(), source.endpointRewrite(), pki);
    this.sink = sink;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "opcua-" + machine.id());
              t.setDaemon(true);
              return t;
            });
    this.poller = new NodePoller(machine.id(), executor);
  }

  @Override
  public void start() {
    if (connector.policy() == SecurityPolicy.None) {
      log.warn(
          "opcua machine connects UNSECURED (security policy None, as configured): values and"
              + " credentials cross the network in clear text machine={} endpoint={}",
          machine.id(),
          source.endpoint());
    }
    executor.execute(this::connect);
  }

  /** True while a session with the server is active and the subscription is in place. */
  @Override
  public boolean isConnected() {
    return client != null && sessionActive;
  }

  private void connect() {
    if (closed) {
      return;
    }
    OpcUaClient candidate = null;
    try {
      candidate = connector.create();
      candidate.addSessionActivityListener(
          new SessionActivityListener() {
            @Override
            public void onSessionActive(UaSession session) {
              sessionActive = true;
            }

            @Override
            public void onSessionInactive(UaSession session) {
              sessionActive = false;
              if (!closed) {
                log.warn("opcua session inactive machine={}; reconnecting", machine.id());
              }
            }
          });
      candidate.connect();
      sessionActive = true;
      watches = watches(candidate);
      subscribe(candidate);
      client = candidate;
      retrySeconds = FIRST_RETRY_SECONDS;
      log.info(
          "opcua connected machine={} endpoint={} policy={} mode={} user={} nodes={} polled={}",
          machine.id(),
          source.endpoint(),
          connector.policy(),
          connector.mode(),
          connector.user(),
          watches.size(),
          polledNodes);
    } catch (UaException | RuntimeException e) {
      log.warn(
          "opcua connect failed machine={} endpoint={} reason={}; retrying in {} s",
          machine.id(),
          source.endpoint(),
          connector.explain(e),
          retrySeconds);
      disconnectQuietly(candidate);
      executor.schedule(this::connect, retrySeconds, TimeUnit.SECONDS);
      retrySeconds = Math.min(MAX_RETRY_SECONDS, retrySeconds * 2);
    }
  }

  /**
   * The machine's nodes: configured signals, then signals found by browsing (a node or name already
   * taken is not added twice), then state and counters.
   */
  private List<Watch> watches(OpcUaClient opcUaClient) throws UaException {
    List<SignalNode> signals = new ArrayList<>(source.signals());
    Set<String> names = new HashSet<>();
    Set<String> nodes = new HashSet<>();
    signals.forEach(
        s -> {
          names.add(s.name());
          nodes.add(NodeId.parse(s.node()).toParseableString());
        });
    if (source.state() != null) {
      nodes.add(NodeId.parse(source.state().node()).toParseableString());
    }
    if (source.counters() != null) {
      nodes.add(NodeId.parse(source.counters().total()).toParseableString());
      nodes.add(NodeId.parse(source.counters().quality()).toParseableString());
    }
    AddressSpaceBrowser browser = new AddressSpaceBrowser(opcUaClient);
    for (BrowseSpec spec : source.browse()) {
      NodeId root = browser.resolve(spec);
      int found = 0;
      for (AddressSpaceBrowser.Variable v : browser.variables(root, spec.maxDepth())) {
        String node = v.node().toParseableString();
        String name = v.signalName(spec.prefix());
        if (!spec.matches(v.relativePath()) || nodes.contains(node)) {
          continue;
        }
        if (!names.add(name)) {
          log.warn(
              "opcua browse found a second variable for signal name, left out machine={}"
                  + " signal={} node={}",
              machine.id(),
              name,
              node);
          continue;
        }
        nodes.add(node);
        signals.add(SignalNode.of(name, node, spec.samplingMs(), spec.deadband()));
        found++;
      }
      log.info(
          "opcua browse machine={} root={} signals={}",
          machine.id(),
          spec.root() != null ? spec.root() : spec.path(),
          found);
      if (found == 0) {
        log.warn(
            "opcua browse found no numeric variable matching include={} exclude={} machine={}"
                + " root={}",
            spec.include(),
            spec.exclude(),
            machine.id(),
            root.toParseableString());
      }
    }
    List<Watch> result = new ArrayList<>();
    for (SignalNode signal : signals) {
      filters.computeIfAbsent(signal.name(), n -> new SignalFilter(signal.deadband()));
      result.add(
          new Watch(
              signal.node(),
              signal.samplingMs(),
              signal.queueSize(),
              signal.discardOldest(),
              signal.deadband(),
              signal.poll(),
              v -> onSignal(signal.name(), v)));
    }
    if (source.state() != null) {
      result.add(watch(source.state().node(), this::onState));
    }
    if (source.counters() != null) {
      result.add(watch(source.counters().total(), v -> onCounter(Counter.TOTAL, v)));
      Counter quality = source.counters().qualityCounter();
      result.add(watch(source.counters().quality(), v -> onCounter(quality, v)));
    }
    return List.copyOf(result);
  }

  /** State and counter nodes: sampled every 100 ms, every change kept. */
  private static Watch watch(String node, Consumer<DataValue> onValue) {
    return new Watch(node, 100, SignalNode.DEFAULT_QUEUE_SIZE, true, null, false, onValue);
  }

  /**
   * Creates the subscription with a monitored item for every node not polled. When the server
   * refuses subscriptions altogether, every node is polled instead.
   */
  private void subscribe(OpcUaClient opcUaClient) throws UaException {
    List<Watch> polled = new ArrayList<>();
    List<OpcUaMonitoredItem> items = new ArrayList<>();
    Map<OpcUaMonitoredItem, Watch> watchOf = new HashMap<>();
    for (Watch w : watches) {
      if (w.poll()) {
        polled.add(w);
      } else {
        OpcUaMonitoredItem item = item(w);
        items.add(item);
        watchOf.put(item, w);
      }
    }
    if (!items.isEmpty()) {
      OpcUaSubscription subscription = new OpcUaSubscription(opcUaClient);
      subscription.setPublishingInterval(source.publishingIntervalMs().doubleValue());
      subscription.setSubscriptionListener(
          new OpcUaSubscription.SubscriptionListener() {
            @Override
            public void onTransferFailed(OpcUaSubscription failed, StatusCode status) {
              log.warn(
                  "opcua subscription transfer failed machine={} status={}", machine.id(), status);
              executor.execute(() -> resubscribe(opcUaClient));
            }

            @Override
            public void onWatchdogTimerElapsed(OpcUaSubscription watched) {
              log.warn(
                  "opcua subscription silent beyond its keep-alive machine={}; the session is"
                      + " checked and recovered by the client",
                  machine.id());
            }

            @Override
            public void onNotificationDataLost(OpcUaSubscription lost) {
              log.warn(
                  "opcua server reports lost notifications machine={} (queue overflow on the"
                      + " server; raise queueSize or lower samplingMs)",
                  machine.id());
            }
          });
      try {
        subscription.create();
        subscription.addMonitoredItems(items);
        try {
          subscription.synchronizeMonitoredItems();
        } catch (MonitoredItemSynchronizationException e) {
          polled.addAll(retryRefusedItems(subscription, e, watchOf));
        }
        if (subscription.getMonitoredItems().isEmpty() && polled.isEmpty()) {
          // Typically a server that restarted and has not loaded its address space yet.
          subscription.delete();
          throw new UaException(
              StatusCodes.Bad_NodeIdUnknown, "none of the machine's nodes exists on the server");
        }
      } catch (UaException e) {
        if (isNodeProblem(e.getStatusCode())) {
          throw e;
        }
        log.warn(
            "opcua server refused the subscription, polling every node instead machine={}"
                + " status={}",
            machine.id(),
            e.getStatusCode());
        polled.addAll(watchOf.values());
      }
    }
    polledNodes = polled.size();
    poller.poll(
        opcUaClient,
        polled.stream()
            .map(
                w ->
                    new NodePoller.PolledNode(
                        NodeId.parse(w.node()), Math.max(10, w.samplingMs()), w.onValue()))
            .toList());
  }

  /**
   * Items the server refused. With a deadband filter: created again without it (the agent's own
   * filter still drops repeats). A node that does not exist: logged and left out, so that one bad
   * node does not stop the machine's other data. Any other refusal (too many monitored items, not
   * supported): returned, to be polled.
   */
  private List<Watch> retryRefusedItems(
      OpcUaSubscription subscription,
      MonitoredItemSynchronizationException e,
      Map<OpcUaMonitoredItem, Watch> watchOf)
      throws UaException {
    List<Watch> toPoll = new ArrayList<>();
    boolean retry = false;
    for (var result : e.getCreateResults()) {
      StatusCode status = result.operationResult().orElse(null);
      if (status != null && !status.isBad()) {
        continue;
      }
      OpcUaMonitoredItem item = result.monitoredItem();
      String node = item.getReadValueId().getNodeId().toParseableString();
      subscription.removeMonitoredItem(item);
      if (item.getFilter() != null && status != null && isFilterProblem(status)) {
        log.warn(
            "opcua server refused the deadband filter, reporting every change instead machine={}"
                + " node={} status={}",
            machine.id(),
            node,
            status);
        item.setFilter(null);
        subscription.addMonitoredItem(item);
        retry = true;
      } else if (status != null && isNodeProblem(status)) {
        log.error(
            "opcua node cannot be read, left out machine={} node={} status={}",
            machine.id(),
            node,
            status);
      } else {
        log.warn(
            "opcua server refused to monitor the node, polling it every {} ms instead machine={}"
                + " node={} status={}",
            Math.max(10, watchOf.get(item).samplingMs()),
            machine.id(),
            node,
            status);
        toPoll.add(watchOf.get(item));
      }
    }
    if (retry) {
      try {
        subscription.synchronizeMonitoredItems();
      } catch (MonitoredItemSynchronizationException again) {
        toPoll.addAll(retryRefusedItems(subscription, again, watchOf));
      }
    }
    return toPoll;
  }

  private static boolean isFilterProblem(StatusCode status) {
    long code = status.getValue();
    return code == StatusCodes.Bad_FilterNotAllowed
        || code == StatusCodes.Bad_MonitoredItemFilterUnsupported
        || code == StatusCodes.Bad_MonitoredItemFilterInvalid
        || code == StatusCodes.Bad_DeadbandFilterInvalid;
  }

  /** Refusals that polling cannot help: the node or its value does not exist or is not ours. */
  private static boolean isNodeProblem(StatusCode status) {
    long code = status.getValue();
    return code == StatusCodes.Bad_NodeIdUnknown
        || code == StatusCodes.Bad_NodeIdInvalid
        || code == StatusCodes.Bad_AttributeIdInvalid
        || code == StatusCodes.Bad_NotReadable
        || code == StatusCodes.Bad_UserAccessDenied;
  }

  private void resubscribe(OpcUaClient opcUaClient) {
    try {
      subscribe(opcUaClient);
      log.info("opcua subscription re-created machine={}", machine.id());
    } catch (UaException e) {
      log.warn("opcua re-subscribe failed machine={} reason={}", machine.id(), e.getMessage());
      executor.schedule(() -> resubscribe(opcUaClient), FIRST_RETRY_SECONDS, TimeUnit.SECONDS);
    }
  }

  private OpcUaMonitoredItem item(Watch w) {
    OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(NodeId.parse(w.node()));
    item.setSamplingInterval(w.samplingMs());
    item.setQueueSize(uint(w.queueSize()));
    item.setDiscardOldest(w.discardOldest());
    if (w.deadband() != null) {
      item.setFilter(dataChangeFilter(w.deadband()));
    }
    item.setDataValueListener((monitoredItem, value) -> w.onValue().accept(value));
    return item;
  }

  /** Nodes read by polling rather than by subscription, as of the last connection. */
  @Override
  public int polledNodes() {
    return polledNodes;
  }

  /** Seconds since the last data change arrived; NaN before the first. */
  @Override
  public double lastValueAgeSeconds() {
    long at = lastValueAt;
    return at == 0 ? Double.NaN : (System.currentTimeMillis() - at) / 1000.0;
  }

  @Override
  public String machineId() {
    return machine.id();
  }

  private static DataChangeFilter dataChangeFilter(Deadband deadband) {
    boolean absolute = deadband.absolute() != null;
    return new DataChangeFilter(
        DataChangeTrigger.StatusValue,
        uint(absolute ? DeadbandType.Absolute.getValue() : DeadbandType.Percent.getValue()),
        absolute ? deadband.absolute() : deadband.percent());
  }

  private void onSignal(String name, DataValue value) {
    lastValueAt = System.currentTimeMillis();
    long ts = DataValues.timestamp(value, System.currentTimeMillis());
    Number number = DataValues.number(value);
    Quality quality = DataValues.quality(value);
    boolean usable = number != null && Double.isFinite(number.doubleValue());
    double v = usable ? number.doubleValue() : Double.NaN;
    Quality q = usable ? quality : Quality.BAD;
    if (filters.get(name).accept(v, q)) {
      sink.signal(machine, new SignalValue(name, ts, v, q));
    }
  }

  /** Values dropped as repeats or within the deadband, over all signals. */
  public long suppressedValues() {
    return filters.values().stream().mapToLong(SignalFilter::suppressed).sum();
  }

  private void onState(DataValue value) {
    lastValueAt = System.currentTimeMillis();
    long ts = DataValues.timestamp(value, System.currentTimeMillis());
    Number code = DataValues.number(value);
    Quality quality = DataValues.quality(value);
    if (code == null) {
      sink.state(machine, new StateChange(ts, MachineState.UNKNOWN, Quality.BAD));
    } else {
      sink.state(machine, new StateChange(ts, source.state().stateOf(code.intValue()), quality));
    }
  }

  private void onCounter(Counter counter, DataValue value) {
    lastValueAt = System.currentTimeMillis();
    long[] count = DataValues.counter(value);
    Quality quality = DataValues.quality(value);
    if (count == null || quality == Quality.BAD) {
      // A counter without a usable value says nothing about parts; the next good reading does.
      log.debug("opcua counter without value machine={} counter={}", machine.id(), counter);
      return;
    }
    Long configured = source.counters().rollover();
    long modulus = configured != null ? configured : count[1];
    long ts = DataValues.timestamp(value, System.currentTimeMillis());
    sink.counter(
        machine,
        new CounterReading(
            counter, ts, count[0], quality, modulus > count[0] ? Long.valueOf(modulus) : null));
  }

  private static void disconnectQuietly(OpcUaClient opcUaClient) {
    if (opcUaClient == null) {
      return;
    }
    try {
      // Bounded: a server that is gone would otherwise hold every stop for a request timeout.
      opcUaClient.disconnectAsync().get(DISCONNECT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      log.debug("opcua disconnect failed reason={}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closed = true;
    poller.stop();
    executor.shutdownNow();
    disconnectQuietly(client);
    client = null;
  }
}
