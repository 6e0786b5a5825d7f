package io.gemba.edge.southbound.modbus;

import com.digitalpetri.modbus.client.ModbusTcpClient;
import com.digitalpetri.modbus.exceptions.ModbusResponseException;
import com.digitalpetri.modbus.exceptions.ModbusTimeoutException;
import com.digitalpetri.modbus.pdu.ReadCoilsRequest;
import com.digitalpetri.modbus.pdu.ReadCoilsResponse;
import com.digitalpetri.modbus.pdu.ReadDiscreteInputsRequest;
import com.digitalpetri.modbus.pdu.ReadDiscreteInputsResponse;
import com.digitalpetri.modbus.pdu.ReadHoldingRegistersRequest;
import com.digitalpetri.modbus.pdu.ReadHoldingRegistersResponse;
import com.digitalpetri.modbus.pdu.ReadInputRegistersRequest;
import com.digitalpetri.modbus.pdu.ReadInputRegistersResponse;
import com.digitalpetri.modbus.tcp.client.NettyTcpClientTransport;
import io.gemba.edge.metrics.EdgeMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Modbus device as the agent reaches it: the TCP connection, kept up in the background with
 * growing waits between attempts, and the polls of its read plans. Requests are sent without
 * waiting: the one poller thread of all Modbus devices only starts them, and a device that does not
 * answer costs its own requests their timeout, never another device a delay. A plan whose previous
 * poll has not finished skips its turn (counted as an overrun). Failed requests are counted by
 * reason.
 */
final class ModbusConnection implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ModbusConnection.class);

  /** Starts every Modbus poll of the agent; it never waits for a device. */
  private static final ScheduledExecutorService POLLER =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "modbus-poller");
            t.setDaemon(true);
            return t;
          });

  /** What one poll read: each request's bytes, absent when it failed, and the last failure. */
  interface Polled {
    void polled(Map<ReadPlan.Request, byte[]> data, long started, Throwable failure);
  }

  private final String machine;
  private final ModbusSource source;
  private final NettyTcpClientTransport transport;
  private final ModbusTcpClient client;
  private final LongAdder requests = new LongAdder();
  private final LongAdder timeouts = new LongAdder();
  private final LongAdder refusals = new LongAdder();
  private final LongAdder connectionFailures = new LongAdder();
  private final LongAdder overruns = new LongAdder();
  private final List<ScheduledFuture<?>> tasks = new ArrayList<>();

  ModbusConnection(String machine, ModbusSource source, EdgeMetrics metrics) {
    this.machine = machine;
    this.source = source;
    Duration timeout = Duration.ofMillis(source.timeoutMs());
    this.transport =
        NettyTcpClientTransport.create(
            cfg -> {
              cfg.hostname = source.host();
              cfg.port = source.port();
              cfg.connectTimeout = timeout;
              // Keep trying after a failed connect or a lost connection, waiting longer each time.
              cfg.connectPersistent = true;
              cfg.reconnectLazy = false;
            });
    this.client = ModbusTcpClient.create(transport, cfg -> cfg.requestTimeout = timeout);
    metrics.counter(
        "gemba.edge.modbus.requests",
        "Modbus read requests sent",
        requests::sum,
        "machine",
        machine);
    failures(metrics, "timeout", timeouts);
    failures(metrics, "exception", refusals);
    failures(metrics, "connection", connectionFailures);
    metrics.counter(
        "gemba.edge.modbus.poll.overruns",
        "Polls skipped because the group's previous poll had not finished",
        overruns::sum,
        "machine",
        machine);
  }

  private void failures(EdgeMetrics metrics, String reason, LongAdder count) {
    metrics.counter(
        "gemba.edge.modbus.request.failures",
        "Modbus requests that failed, by reason: timeout (no answer within timeoutMs), exception"
            + " (the device refused it with an exception code), connection (none to send it on)",
        count::sum,
        "machine",
        machine,
        "reason",
        reason);
  }

  /** Connects in the background; polls sent meanwhile wait for the connection or time out. */
  synchronized void connect() {
    client
        .connectAsync()
        .whenComplete(
            (ok, e) -> {
              if (e != null) {
                log.warn(
                    "modbus device not reachable yet, retrying machine={} endpoint={} reason={}",
                    machine,
                    source.endpoint(),
                    reasonOf(e));
              }
            });
  }

  /** Polls {@code plan} every {@code intervalMs}, from now, handing each result to {@code to}. */
  synchronized void poll(ReadPlan plan, int intervalMs, Polled to) {
    AtomicBoolean busy = new AtomicBoolean();
    tasks.add(
        POLLER.scheduleAtFixedRate(
            () -> poll(plan, busy, to), 0, intervalMs, TimeUnit.MILLISECONDS));
  }

  private void poll(ReadPlan plan, AtomicBoolean busy, Polled to) {
    if (!busy.compareAndSet(false, true)) {
      overruns.increment();
      return;
    }
    try {
      long started = System.currentTimeMillis();
      List<ReadPlan.Request> planned = plan.requests();
      List<CompletableFuture<byte[]>> sent = new ArrayList<>(planned.size());
      for (ReadPlan.Request r : planned) {
        requests.increment();
        sent.add(send(r).toCompletableFuture());
      }
      CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
          .whenComplete(
              (ok, e) -> {
                try {
                  Map<ReadPlan.Request, byte[]> data = new HashMap<>();
                  Throwable failure = null;
                  for (int i = 0; i < planned.size(); i++) {
                    CompletableFuture<byte[]> f = sent.get(i);
                    if (f.isCompletedExceptionally()) {
                      failure = f.handle((v, t) -> t).join();
                      count(failure);
                    } else {
                      data.put(planned.get(i), f.join());
                    }
                  }
                  to.polled(data, started, failure);
                } catch (RuntimeException ex) {
                  log.error("modbus poll could not be handled machine={}", machine, ex);
                } finally {
                  busy.set(false);
                }
              });
    } catch (RuntimeException e) {
      busy.set(false);
      log.error("modbus poll could not be sent machine={}", machine, e);
    }
  }

  private CompletionStage<byte[]> send(ReadPlan.Request r) {
    int unit = source.unitId();
    return switch (r.table()) {
      case COIL ->
          client
              .readCoilsAsync(unit, new ReadCoilsRequest(r.start(), r.count()))
              .thenApply(ReadCoilsResponse::coils);
      case DISCRETE ->
          client
              .readDiscreteInputsAsync(unit, new ReadDiscreteInputsRequest(r.start(), r.count()))
              .thenApply(ReadDiscreteInputsResponse::inputs);
      case HOLDING ->
          client
              .readHoldingRegistersAsync(
                  unit, new ReadHoldingRegistersRequest(r.start(), r.count()))
              .thenApply(ReadHoldingRegistersResponse::registers);
      case INPUT ->
          client
              .readInputRegistersAsync(unit, new ReadInputRegistersRequest(r.start(), r.count()))
              .thenApply(ReadInputRegistersResponse::registers);
    };
  }

  private void count(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof ModbusTimeoutException || cause instanceof TimeoutException) {
      timeouts.increment();
    } else if (cause instanceof ModbusResponseException) {
      refusals.increment();
    } else {
      connectionFailures.increment();
    }
  }

  boolean isConnected() {
    return transport.isConnected();
  }

  long requestsSent() {
    return requests.sum();
  }

  private static Throwable unwrap(Throwable e) {
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  /** A failure as a log line shows it: its type and message, unwrapped. */
  static String reasonOf(Throwable e) {
    Throwable cause = unwrap(e);
    return cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }

  @Override
  public synchronized void close() {
    tasks.forEach(t -> t.cancel(false));
    tasks.clear();
    try {
      client.disconnectAsync().toCompletableFuture().get(2, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.debug("modbus disconnect did not finish machine={}", machine, e);
    }
  }
}
