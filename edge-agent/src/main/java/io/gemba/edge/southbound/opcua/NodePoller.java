package io.gemba.edge.southbound.opcua;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads nodes periodically, for servers or nodes that refuse subscriptions. Nodes with the same
 * interval share one Read request; a tick is skipped while the previous read is still out. Only a
 * value that differs from the last one read (value, status or source timestamp) is passed on, so
 * polling a quiet node sends nothing, as a subscription would.
 */
final class NodePoller {

  private static final Logger log = LoggerFactory.getLogger(NodePoller.class);

  /** A node to poll and what to do with each new value. */
  record PolledNode(NodeId node, int intervalMs, Consumer<DataValue> onValue) {}

  private final String machineId;
  private final ScheduledExecutorService executor;
  private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
  private final Map<NodeId, DataValue> last = new ConcurrentHashMap<>();

  NodePoller(String machineId, ScheduledExecutorService executor) {
    this.machineId = machineId;
    this.executor = executor;
  }

  /** Polls {@code nodes} through {@code client}, replacing whatever was polled before. */
  synchronized void poll(OpcUaClient client, List<PolledNode> nodes) {
    stop();
    Map<Integer, List<PolledNode>> byInterval = new LinkedHashMap<>();
    for (PolledNode node : nodes) {
      byInterval.computeIfAbsent(node.intervalMs(), k -> new ArrayList<>()).add(node);
    }
    byInterval.forEach(
        (interval, group) -> {
          AtomicBoolean inFlight = new AtomicBoolean();
          tasks.add(
              executor.scheduleAtFixedRate(
                  () -> read(client, group, inFlight), 0, interval, TimeUnit.MILLISECONDS));
        });
  }

  private void read(OpcUaClient client, List<PolledNode> group, AtomicBoolean inFlight) {
    if (!inFlight.compareAndSet(false, true)) {
      return;
    }
    List<NodeId> ids = group.stream().map(PolledNode::node).toList();
    client
        .readValuesAsync(0.0, TimestampsToReturn.Both, ids)
        .whenComplete(
            (values, failure) -> {
              inFlight.set(false);
              if (failure != null) {
                log.debug("opcua poll failed machine={} reason={}", machineId, failure.toString());
                return;
              }
              for (int i = 0; i < values.size(); i++) {
                PolledNode node = group.get(i);
                DataValue value = values.get(i);
                DataValue previous = last.put(node.node(), value);
                if (previous == null || !same(previous, value)) {
                  node.onValue().accept(value);
                }
              }
            });
  }

  private static boolean same(DataValue a, DataValue b) {
    return Objects.equals(a.getValue(), b.getValue())
        && Objects.equals(a.getStatusCode(), b.getStatusCode())
        && Objects.equals(a.getSourceTime(), b.getSourceTime());
  }

  synchronized void stop() {
    tasks.forEach(t -> t.cancel(false));
    tasks.clear();
  }
}
