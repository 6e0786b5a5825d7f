package io.gemba.edge.southbound.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryData;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadResult;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadRawModifiedDetails;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads back from the server's history what a machine's nodes missed while the connection was lost:
 * for every node the server marks as historizing, the raw values after the last one passed on, up
 * to {@code maxWindow} after it, in pages of {@code batchSize} behind continuation points. The
 * values of all nodes are then passed on in source-time order through the {@link BackfillGate},
 * before the live values held meanwhile.
 */
final class HistoryBackfill {

  private static final Logger log = LoggerFactory.getLogger(HistoryBackfill.class);

  /** Pages read per node in one backfill, at most: a bound on a server that never ends a read. */
  static final int MAX_PAGES = 1_000;

  private record Value(long ts, String node, DataValue value, Consumer<DataValue> next) {}

  private final String machine;
  private final Backfill config;
  private final BackfillGate gate;
  private final LongAdder passed = new LongAdder();
  private final LongAdder failures = new LongAdder();

  HistoryBackfill(String machine, Backfill config, BackfillGate gate) {
    this.machine = machine;
    this.config = config;
    this.gate = gate;
  }

  /** Values read back from history and passed on. */
  long passed() {
    return passed.sum();
  }

  /** Backfills that failed or gave up (a node's read, a bound reached). */
  long failures() {
    return failures.sum();
  }

  /**
   * Reads the gap of every node in {@code from} (its last source time before the gap) and passes
   * the values on; always releases the gate.
   *
   * @param nodes each node's consumer, as live values reach it behind the gate
   */
  void run(OpcUaClient client, Map<String, Long> from, Map<String, Consumer<DataValue>> nodes) {
    try {
      List<String> candidates = nodes.keySet().stream().filter(from::containsKey).sorted().toList();
      List<String> historizing = historizing(client, candidates);
      List<Value> values = new ArrayList<>();
      for (String node : historizing) {
        readNode(client, node, from.get(node), nodes.get(node), values);
      }
      values.sort(Comparator.comparingLong(Value::ts));
      long count = 0;
      for (Value v : values) {
        if (gate.overflowed()) {
          failures.increment();
          log.warn(
              "opcua backfill stopped: live values came faster than the history was read"
                  + " machine={}",
              machine);
          break;
        }
        if (gate.readBack(v.node(), v.value(), v.next())) {
          count++;
        }
      }
      passed.add(count);
      log.info(
          "opcua backfill done machine={} nodes={} historizing={} values={}",
          machine,
          candidates.size(),
          historizing.size(),
          count);
    } catch (UaException | RuntimeException e) {
      failures.increment();
      log.warn("opcua backfill failed machine={} reason={}", machine, e.toString());
    } finally {
      gate.release();
    }
  }

  /** The nodes among {@code candidates} whose Historizing attribute is true. */
  private static List<String> historizing(OpcUaClient client, List<String> candidates)
      throws UaException {
    if (candidates.isEmpty()) {
      return List.of();
    }
    List<ReadValueId> ids =
        candidates.stream()
            .map(
                n ->
                    new ReadValueId(
                        NodeId.parse(n),
                        AttributeId.Historizing.uid(),
                        null,
                        QualifiedName.NULL_VALUE))
            .toList();
    DataValue[] results = client.read(0, TimestampsToReturn.Neither, ids).getResults();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < candidates.size(); i++) {
      if (results[i].getStatusCode().isGood()
          && Boolean.TRUE.equals(results[i].getValue().getValue())) {
        out.add(candidates.get(i));
      }
    }
    return out;
  }

  private void readNode(
      OpcUaClient client, String node, long last, Consumer<DataValue> next, List<Value> out)
      throws UaException {
    ReadRawModifiedDetails details =
        new ReadRawModifiedDetails(
            false,
            new DateTime(Instant.ofEpochMilli(last + 1)),
            new DateTime(Instant.ofEpochMilli(last + config.maxWindow().toMillis())),
            uint(config.batchSize()),
            false);
    ByteString continuation = null;
    for (int page = 0; page < MAX_PAGES; page++) {
      HistoryReadValueId id =
          new HistoryReadValueId(NodeId.parse(node), null, QualifiedName.NULL_VALUE, continuation);
      HistoryReadResult result =
          client.historyRead(details, TimestampsToReturn.Source, false, List.of(id))
              .getResults()[0];
      if (!result.getStatusCode().isGood()) {
        failures.increment();
        log.warn(
            "opcua history read refused machine={} node={} status={}",
            machine,
            node,
            result.getStatusCode());
        return;
      }
      HistoryData data =
          (HistoryData) result.getHistoryData().decode(client.getStaticEncodingContext());
      if (data.getDataValues() != null) {
        for (DataValue v : data.getDataValues()) {
          out.add(new Value(DataValues.sourceTime(v), node, v, next));
        }
      }
      continuation = result.getContinuationPoint();
      if (continuation == null || continuation.isNull() || continuation.length() == 0) {
        return;
      }
    }
    failures.increment();
    log.warn(
        "opcua history read stopped after {} pages machine={} node={}", MAX_PAGES, machine, node);
  }
}
