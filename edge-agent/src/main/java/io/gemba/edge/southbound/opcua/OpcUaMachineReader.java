package io.gemba.edge.southbound.opcua;

import io.gemba.edge.northbound.ReadingSink;
import io.gemba.edge.southbound.MachineReader;
import io.gemba.model.envelope.Counter;
import io.gemba.model.envelope.MachineRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
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

  /** After a reconnect, how long the history read waits for the first live value at most. */
  private static final long LIVE_WAIT_SECONDS = 10;

  private final MachineRef machine;
  private final OpcUaSource source;
  private final OpcUaConnector connector;
  private final ScheduledExecutorService executor;
  private volatile OpcUaClient client;
  private volatile boolean sessionActive;
  private volatile boolean closed;
  private long retrySeconds = FIRST_RETRY_SECONDS;
  private final MachineValues values;
  private final BackfillGate gate = new BackfillGate();
  private final HistoryBackfill backfill;
  private final Map<String, Consumer<DataValue>> consumers = new ConcurrentHashMap<>();
  private volatile Map<String, Long> gapFrom;
  private final NodePoller poller;
  private volatile List<NodeWatch> watches = List.of();
  private volatile int polledNodes;

  /**
   * @param pki the gateway's certificate and trust lists; may be null only for policy None
   */
  public OpcUaMachineReader(
      MachineRef machine, OpcUaSource source, ClientPki pki, ReadingSink sink) {
    this(machine, source, pki, sink, () -> {});
  }

  /**
   * @param pki the gateway's certificate and trust lists; may be null only for policy None
   * @param rejected called for every value no envelope may carry (a timestamp beyond 9999, a reason
   *     too long), which is skipped
   */
  public OpcUaMachineReader(
      MachineRef machine, OpcUaSource source, ClientPki pki, ReadingSink sink, Runnable rejected) {
    this.machine = machine;
    this.source = source;
    this.connector =
        new OpcUaConnector(source.endpoint(), source.security(), source.endpointRewrite(), pki);
    this.values = new MachineValues(machine, source, sink, rejected);
    this.backfill = new HistoryBackfill(machine.id(), source.backfill(), gate);
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
              Map<String, Long> from = gapFrom;
              if (from != null) {
                gapFrom = null;
                // The history is read once the subscription delivers again (it may have to be
                // created anew first), so that the gap it covers reaches the live values.
                AtomicBoolean started = new AtomicBoolean();
                Runnable readBack =
                    () -> {
                      if (started.compareAndSet(false, true)) {
                        executor.execute(() -> afterGap(from));
                      }
                    };
                gate.whenLive(readBack);
                executor.schedule(readBack, LIVE_WAIT_SECONDS, TimeUnit.SECONDS);
              }
            }

            @Override
            public void onSessionInactive(UaSession session) {
              sessionActive = false;
              if (!closed) {
                log.warn("opcua session inactive machine={}; reconnecting", machine.id());
                if (source.backfill().enabled() && gapFrom == null) {
                  // Live values wait from here until what the gap missed is read back.
                  gapFrom = gate.hold();
                }
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
   * The machine's nodes: configured and browsed signals ({@link BrowsedSignals}), then state and
   * counters.
   */
  private List<NodeWatch> watches(OpcUaClient opcUaClient) throws UaException {
    List<SignalNode> signals = BrowsedSignals.resolve(opcUaClient, source, machine.id());
    List<NodeWatch> result = new ArrayList<>();
    for (SignalNode signal : signals) {
      values.track(signal);
      result.add(
          new NodeWatch(
              signal.node(),
              signal.samplingMs(),
              signal.queueSize(),
              signal.discardOldest(),
              signal.deadband(),
              signal.poll(),
              gated(signal.node(), v -> values.signal(signal.name(), v))));
    }
    if (source.state() != null) {
      result.add(
          NodeWatch.stateOrCounter(
              source.state().node(), gated(source.state().node(), values::state)));
      if (source.state().reason() != null) {
        result.add(
            NodeWatch.stateOrCounter(
                source.state().reason(), gated(source.state().reason(), values::reason)));
      }
    }
    if (source.counters() != null) {
      String total = source.counters().total();
      result.add(
          NodeWatch.stateOrCounter(total, gated(total, v -> values.counter(Counter.TOTAL, v))));
      Counter quality = source.counters().qualityCounter();
      String good = source.counters().quality();
      result.add(NodeWatch.stateOrCounter(good, gated(good, v -> values.counter(quality, v))));
    }
    return List.copyOf(result);
  }

  /** {@code next} behind the backfill gate; {@code next} itself is where read-back values go. */
  private Consumer<DataValue> gated(String node, Consumer<DataValue> next) {
    consumers.put(node, next);
    return gate.wrap(node, next);
  }

  /** After the session came back: reads what the gap missed, then lets live values through. */
  private void afterGap(Map<String, Long> from) {
    OpcUaClient current = client;
    if (current == null || closed) {
      gate.release();
      return;
    }
    backfill.run(current, from, Map.copyOf(consumers));
  }

  /** Values read back from the server's history after outages, and backfills that failed. */
  public long backfilledValues() {
    return backfill.passed();
  }

  public long backfillFailures() {
    return backfill.failures();
  }

  /**
   * Creates the subscription with a monitored item for every node not polled. When the server
   * refuses subscriptions altogether, every node is polled instead.
   */
  private void subscribe(OpcUaClient opcUaClient) throws UaException {
    List<NodeWatch> polled = new ArrayList<>();
    List<OpcUaMonitoredItem> items = new ArrayList<>();
    Map<OpcUaMonitoredItem, NodeWatch> watchOf = new HashMap<>();
    for (NodeWatch w : watches) {
      if (w.poll()) {
        polled.add(w);
      } else {
        OpcUaMonitoredItem item = MonitoredItems.create(w);
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
          polled.addAll(MonitoredItems.retryRefusedItems(machine.id(), subscription, e, watchOf));
        }
        if (subscription.getMonitoredItems().isEmpty() && polled.isEmpty()) {
          // Typically a server that restarted and has not loaded its address space yet.
          subscription.delete();
          throw new UaException(
              StatusCodes.Bad_NodeIdUnknown, "none of the machine's nodes exists on the server");
        }
      } catch (UaException e) {
        if (MonitoredItems.isNodeProblem(e.getStatusCode())) {
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

  private void resubscribe(OpcUaClient opcUaClient) {
    try {
      subscribe(opcUaClient);
      log.info("opcua subscription re-created machine={}", machine.id());
    } catch (UaException e) {
      log.warn("opcua re-subscribe failed machine={} reason={}", machine.id(), e.getMessage());
      executor.schedule(() -> resubscribe(opcUaClient), FIRST_RETRY_SECONDS, TimeUnit.SECONDS);
    }
  }

  /** Nodes read by polling rather than by subscription, as of the last connection. */
  @Override
  public int polledNodes() {
    return polledNodes;
  }

  /** Seconds since the last data change arrived; NaN before the first. */
  @Override
  public double lastValueAgeSeconds() {
    return values.lastValueAgeSeconds();
  }

  @Override
  public String machineId() {
    return machine.id();
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
