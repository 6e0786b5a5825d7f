package io.gemba.edge.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import io.gemba.edge.config.Deadband;
import io.gemba.edge.config.OpcUaSource;
import io.gemba.edge.config.SignalNode;
import io.gemba.edge.config.UserIdentity;
import io.gemba.edge.northbound.ReadingSink;
import io.gemba.edge.southbound.MachineReader;
import io.gemba.model.asset.MachineState;
import io.gemba.model.envelope.Counter;
import io.gemba.model.envelope.CounterReading;
import io.gemba.model.envelope.MachineRef;
import io.gemba.model.envelope.Quality;
import io.gemba.model.envelope.SignalValue;
import io.gemba.model.envelope.StateChange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClientConfigBuilder;
import org.eclipse.milo.opcua.sdk.client.SessionActivityListener;
import org.eclipse.milo.opcua.sdk.client.UaSession;
import org.eclipse.milo.opcua.sdk.client.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.identity.IdentityProvider;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import org.eclipse.milo.opcua.sdk.client.identity.X509IdentityProvider;
import org.eclipse.milo.opcua.sdk.client.subscriptions.MonitoredItemSynchronizationException;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DataChangeTrigger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DeadbandType;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.UserTokenType;
import org.eclipse.milo.opcua.stack.core.types.structured.DataChangeFilter;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.UserTokenPolicy;
import org.eclipse.milo.opcua.stack.core.util.EndpointUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one machine over an OPC UA subscription: a monitored item per signal, state and counter
 * node, with the configured sampling intervals; every data change becomes a reading with the
 * server's source timestamp and the status code's quality. The connection uses the configured
 * security policy, mode and user token, with the gateway's certificate ({@link ClientPki}). Until
 * the first connection succeeds it retries with a backoff of 2 to 10 seconds; after that Milo
 * reactivates the session, and the subscription is created anew if the server cannot transfer it.
 */
public final class OpcUaMachineReader implements MachineReader {

  private static final Logger log = LoggerFactory.getLogger(OpcUaMachineReader.class);
  private static final long FIRST_RETRY_SECONDS = 2;
  private static final long MAX_RETRY_SECONDS = 10;

  private final MachineRef machine;
  private final OpcUaSource source;
  private final ClientPki pki;
  private final ReadingSink sink;
  private final ScheduledExecutorService executor;
  private final SecurityPolicy policy;
  private final MessageSecurityMode mode;
  private volatile OpcUaClient client;
  private volatile boolean sessionActive;
  private volatile boolean closed;
  private volatile long lastValueAt;
  private long retrySeconds = FIRST_RETRY_SECONDS;
  private final Map<String, SignalFilter> filters = new HashMap<>();

  /**
   * @param pki the gateway's certificate and trust lists; may be null only for policy None
   */
  public OpcUaMachineReader(
      MachineRef machine, OpcUaSource source, ClientPki pki, ReadingSink sink) {
    this.machine = machine;
    this.source = source;
    this.pki = pki;
    this.sink = sink;
    this.policy = SecurityPolicy.valueOf(source.security().policy());
    this.mode = MessageSecurityMode.valueOf(source.security().mode());
    if (pki == null && policy != SecurityPolicy.None) {
      throw new IllegalArgumentException("a secured connection needs the gateway's PKI");
    }
    for (SignalNode signal : source.signals()) {
      filters.put(signal.name(), new SignalFilter(signal.deadband()));
    }
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "opcua-" + machine.id());
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public void start() {
    if (policy == SecurityPolicy.None) {
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
      candidate =
          OpcUaClient.create(
              source.endpoint(), this::selectEndpoint, transport -> {}, this::configureClient);
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
      subscribe(candidate);
      client = candidate;
      retrySeconds = FIRST_RETRY_SECONDS;
      log.info(
          "opcua connected machine={} endpoint={} policy={} mode={} user={}",
          machine.id(),
          source.endpoint(),
          policy,
          mode,
          userDescription());
    } catch (UaException | RuntimeException e) {
      log.warn(
          "opcua connect failed machine={} endpoint={} reason={}; retrying in {} s",
          machine.id(),
          source.endpoint(),
          ConnectFailures.explain(e, pki, source.security()),
          retrySeconds);
      disconnectQuietly(candidate);
      executor.schedule(this::connect, retrySeconds, TimeUnit.SECONDS);
      retrySeconds = Math.min(MAX_RETRY_SECONDS, retrySeconds * 2);
    }
  }

  private String userDescription() {
    UserIdentity user = source.security().user();
    if (user == null) {
      return "anonymous";
    }
    return user.isUsername() ? user.username() : "certificate " + user.certificateFile();
  }

  private void configureClient(OpcUaClientConfigBuilder config) {
    config
        .setApplicationName(LocalizedText.english("Gemba edge agent"))
        .setProductUri("urn:gemba:edge-agent");
    if (pki != null) {
      config
          .setApplicationUri(pki.applicationUri())
          .setKeyPair(pki.keyPair())
          .setCertificate(pki.certificate())
          .setCertificateChain(new X509Certificate[] {pki.certificate()})
          .setCertificateValidator(pki.validator());
    }
    config.setIdentityProvider(identityProvider());
  }

  /** Reads secrets at every connection attempt, so a rotated password needs no restart. */
  private IdentityProvider identityProvider() {
    UserIdentity user = source.security().user();
    if (user == null) {
      return AnonymousProvider.INSTANCE;
    }
    try {
      if (user.isUsername()) {
        String password = Files.readString(user.passwordFile(), StandardCharsets.UTF_8).strip();
        return new UsernameProvider(user.username(), password);
      }
      List<X509Certificate> chain = Pem.readCertificates(user.certificateFile());
      return new X509IdentityProvider(chain, Pem.readPrivateKey(user.privateKeyFile()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Picks the endpoint with the configured policy and mode that accepts the configured kind of user
   * token. With {@code endpointRewrite} on, its URL keeps the configured host and port: servers
   * often advertise a host name that only resolves on their own network.
   */
  private Optional<EndpointDescription> selectEndpoint(List<EndpointDescription> endpoints) {
    UserTokenType tokenType = tokenType();
    Optional<EndpointDescription> match =
        endpoints.stream()
            .filter(e -> policy.getUri().equals(e.getSecurityPolicyUri()))
            .filter(e -> e.getSecurityMode() == mode)
            .filter(e -> acceptsToken(e, tokenType))
            .findFirst();
    if (match.isEmpty()) {
      throw new IllegalStateException(
          "the server offers no endpoint with policy "
              + policy
              + ", mode "
              + mode
              + " and a "
              + tokenType
              + " user token; it offers "
              + describe(endpoints));
    }
    if (!source.endpointRewrite()) {
      return match;
    }
    String host = EndpointUtil.getHost(source.endpoint());
    int port = EndpointUtil.getPort(source.endpoint());
    return match.map(e -> EndpointUtil.updateUrl(e, host, port));
  }

  private UserTokenType tokenType() {
    UserIdentity user = source.security().user();
    if (user == null) {
      return UserTokenType.Anonymous;
    }
    return user.isUsername() ? UserTokenType.UserName : UserTokenType.Certificate;
  }

  private static boolean acceptsToken(EndpointDescription endpoint, UserTokenType type) {
    UserTokenPolicy[] policies = endpoint.getUserIdentityTokens();
    return policies != null && Arrays.stream(policies).anyMatch(p -> p.getTokenType() == type);
  }

  /** The server's endpoints as "policy/mode [tokens]", for a message the operator can act on. */
  static String describe(List<EndpointDescription> endpoints) {
    return endpoints.stream()
        .map(
            e ->
                SecurityPolicy.fromUriSafe(e.getSecurityPolicyUri())
                        .map(Enum::name)
                        .orElse(e.getSecurityPolicyUri())
                    + "/"
                    + e.getSecurityMode()
                    + " "
                    + Arrays.stream(
                            e.getUserIdentityTokens() == null
                                ? new UserTokenPolicy[0]
                                : e.getUserIdentityTokens())
                        .map(p -> p.getTokenType().name())
                        .distinct()
                        .toList())
        .distinct()
        .collect(Collectors.joining(", "));
  }

  private void subscribe(OpcUaClient opcUaClient) throws UaException {
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
        });
    subscription.create();
    List<OpcUaMonitoredItem> items = monitoredItems();
    subscription.addMonitoredItems(items);
    try {
      subscription.synchronizeMonitoredItems();
    } catch (MonitoredItemSynchronizationException e) {
      retryRefusedItems(subscription, e, items.size());
    }
  }

  /**
   * Items the server refused: with a deadband filter, created again without it (the agent's own
   * filter still drops repeats); otherwise logged and left out, so that one bad node does not stop
   * the machine's other data. Fails only when nothing could be created.
   */
  private void retryRefusedItems(
      OpcUaSubscription subscription, MonitoredItemSynchronizationException e, int total)
      throws UaException {
    int refused = 0;
    boolean retry = false;
    for (var result : e.getCreateResults()) {
      if (!result.operationResult().map(StatusCode::isBad).orElse(true)) {
        continue;
      }
      OpcUaMonitoredItem item = result.monitoredItem();
      String node = item.getReadValueId().getNodeId().toParseableString();
      if (item.getFilter() != null) {
        log.warn(
            "opcua server refused the deadband filter, reporting every change instead machine={}"
                + " node={} status={}",
            machine.id(),
            node,
            result.operationResult().orElse(null));
        subscription.removeMonitoredItem(item);
        item.setFilter(null);
        subscription.addMonitoredItem(item);
        retry = true;
      } else {
        log.error(
            "opcua monitored item refused, node left out machine={} node={} status={}",
            machine.id(),
            node,
            result.operationResult().orElse(null));
        subscription.removeMonitoredItem(item);
        refused++;
      }
    }
    if (refused == total) {
      throw e;
    }
    if (retry) {
      subscription.synchronizeMonitoredItems();
    }
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

  private List<OpcUaMonitoredItem> monitoredItems() {
    List<OpcUaMonitoredItem> items = new ArrayList<>();
    for (SignalNode signal : source.signals()) {
      OpcUaMonitoredItem item =
          item(signal.node(), signal.samplingMs(), v -> onSignal(signal.name(), v));
      if (signal.deadband() != null) {
        item.setFilter(dataChangeFilter(signal.deadband()));
      }
      items.add(item);
    }
    if (source.state() != null) {
      items.add(item(source.state().node(), 100, this::onState));
    }
    if (source.counters() != null) {
      items.add(item(source.counters().total(), 100, v -> onCounter(Counter.TOTAL, v)));
      items.add(item(source.counters().good(), 100, v -> onCounter(Counter.GOOD, v)));
    }
    return items;
  }

  private OpcUaMonitoredItem item(String node, int samplingMs, Consumer<DataValue> onValue) {
    OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(NodeId.parse(node));
    item.setSamplingInterval(samplingMs);
    item.setDataValueListener(
        (monitoredItem, value) -> {
          lastValueAt = System.currentTimeMillis();
          onValue.accept(value);
        });
    return item;
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
      opcUaClient.disconnect();
    } catch (UaException | RuntimeException e) {
      log.debug("opcua disconnect failed reason={}", e.getMessage());
    }
  }

  @Override
  public void close() {
    closed = true;
    executor.shutdownNow();
    disconnectQuietly(client);
    client = null;
  }
}
