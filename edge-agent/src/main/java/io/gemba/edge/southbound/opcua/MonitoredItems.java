package io.gemba.edge.southbound.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.milo.opcua.sdk.client.subscriptions.MonitoredItemSynchronizationException;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DataChangeTrigger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DeadbandType;
import org.eclipse.milo.opcua.stack.core.types.structured.DataChangeFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Monitored items for a machine's nodes, and what to do with those a server refuses: retry without
 * the deadband filter, leave out nodes that do not exist, poll the rest.
 */
final class MonitoredItems {

  private static final Logger log = LoggerFactory.getLogger(MonitoredItems.class);

  private MonitoredItems() {}

  /** A monitored data item for the node, with its sampling, queue and deadband. */
  static OpcUaMonitoredItem create(NodeWatch w) {
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

  private static DataChangeFilter dataChangeFilter(Deadband deadband) {
    boolean absolute = deadband.absolute() != null;
    return new DataChangeFilter(
        DataChangeTrigger.StatusValue,
        uint(absolute ? DeadbandType.Absolute.getValue() : DeadbandType.Percent.getValue()),
        absolute ? deadband.absolute() : deadband.percent());
  }

  /**
   * Items the server refused. With a deadband filter: created again without it (the agent's own
   * filter still drops repeats). A node that does not exist: logged and left out, so that one bad
   * node does not stop the machine's other data. Any other refusal (too many monitored items, not
   * supported): returned, to be polled.
   */
  static List<NodeWatch> retryRefusedItems(
      String machineId,
      OpcUaSubscription subscription,
      MonitoredItemSynchronizationException e,
      Map<OpcUaMonitoredItem, NodeWatch> watchOf)
      throws UaException {
    List<NodeWatch> toPoll = new ArrayList<>();
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
            machineId,
            node,
            status);
        item.setFilter(null);
        subscription.addMonitoredItem(item);
        retry = true;
      } else if (status != null && isNodeProblem(status)) {
        log.error(
            "opcua node cannot be read, left out machine={} node={} status={}",
            machineId,
            node,
            status);
      } else {
        log.warn(
            "opcua server refused to monitor the node, polling it every {} ms instead machine={}"
                + " node={} status={}",
            Math.max(10, watchOf.get(item).samplingMs()),
            machineId,
            node,
            status);
        toPoll.add(watchOf.get(item));
      }
    }
    if (retry) {
      try {
        subscription.synchronizeMonitoredItems();
      } catch (MonitoredItemSynchronizationException again) {
        toPoll.addAll(retryRefusedItems(machineId, subscription, again, watchOf));
      }
    }
    return toPoll;
  }

  static boolean isFilterProblem(StatusCode status) {
    long code = status.getValue();
    return code == StatusCodes.Bad_FilterNotAllowed
        || code == StatusCodes.Bad_MonitoredItemFilterUnsupported
        || code == StatusCodes.Bad_MonitoredItemFilterInvalid
        || code == StatusCodes.Bad_DeadbandFilterInvalid;
  }

  /** Refusals that polling cannot help: the node or its value does not exist or is not ours. */
  static boolean isNodeProblem(StatusCode status) {
    long code = status.getValue();
    return code == StatusCodes.Bad_NodeIdUnknown
        || code == StatusCodes.Bad_NodeIdInvalid
        || code == StatusCodes.Bad_AttributeIdInvalid
        || code == StatusCodes.Bad_NotReadable
        || code == StatusCodes.Bad_UserAccessDenied;
  }
}
