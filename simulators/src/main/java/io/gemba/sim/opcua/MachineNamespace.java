package io.gemba.sim.opcua;

import io.gemba.sim.cnc.NodeUpdate;
import io.gemba.sim.machine.Variable;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.server.AddressSpace.HistoryReadContext;
import org.eclipse.milo.opcua.sdk.server.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.sdk.server.items.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryData;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadDetails;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadResult;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadRawModifiedDetails;

/**
 * Maps simulated machines to OPC UA nodes: a folder per machine under {@code Objects/Machines},
 * with one variable per machine variable. Node ids are strings of the form {@code
 * <machine-id>/<variable>}, e.g. {@code ns=2;s=cnc-07/Spindle.Speed}. With a history window, every
 * variable is historizing and answers HistoryRead for raw values (ReadRawModifiedDetails, with
 * continuation points), as a PLC with a data log or a historian behind the server does.
 */
public final class MachineNamespace extends ManagedNamespaceWithLifecycle {

  public static final String NAMESPACE_URI = "urn:gemba:simulators:machines";

  private final List<MachineNodes> machines;
  private final Map<String, UaVariableNode> variables = new ConcurrentHashMap<>();
  private final Map<NodeId, VariableHistory> histories = new ConcurrentHashMap<>();
  private final SubscriptionModel subscriptionModel;
  private final long historyMs;

  public MachineNamespace(OpcUaServer server, List<MachineNodes> machines) {
    this(server, machines, Duration.ZERO);
  }

  /**
   * @param history how much of each variable's past (simulated time) to keep for HistoryRead
   */
  public MachineNamespace(OpcUaServer server, List<MachineNodes> machines, Duration history) {
    super(server, NAMESPACE_URI);
    this.machines = List.copyOf(machines);
    this.historyMs = history.toMillis();
    this.subscriptionModel = new SubscriptionModel(server, this);
    getLifecycleManager().addLifecycle(subscriptionModel);
    getLifecycleManager().addStartupTask(this::addNodes);
  }

  /** The node id string of a machine's variable, as gateway files write it (without ns). */
  public static String nodeName(String machineId, String variable) {
    return machineId + "/" + variable;
  }

  private void addNodes() {
    UaFolderNode root =
        new UaFolderNode(
            getNodeContext(),
            newNodeId("Machines"),
            newQualifiedName("Machines"),
            LocalizedText.english("Machines"));
    getNodeManager().addNode(root);
    root.addReference(
        new Reference(
            root.getNodeId(), NodeIds.Organizes, NodeIds.ObjectsFolder.expanded(), false));
    for (MachineNodes machine : machines) {
      UaFolderNode folder =
          new UaFolderNode(
              getNodeContext(),
              newNodeId(machine.id()),
              newQualifiedName(machine.id()),
              LocalizedText.english(machine.displayName()));
      getNodeManager().addNode(folder);
      root.addOrganizes(folder);
      for (Variable variable : machine.variables()) {
        UaVariableNode node = variable(machine.id(), variable);
        getNodeManager().addNode(node);
        folder.addOrganizes(node);
        variables.put(nodeName(machine.id(), variable.name()), node);
        if (historyMs > 0) {
          histories.put(node.getNodeId(), new VariableHistory(historyMs));
        }
      }
    }
  }

  private UaVariableNode variable(String machineId, Variable variable) {
    NodeId dataType =
        switch (variable.type()) {
          case STATE -> NodeIds.Int32;
          case COUNTER -> NodeIds.UInt32;
          case DOUBLE -> NodeIds.Double;
          case TEXT -> NodeIds.String;
        };
    UaVariableNode node =
        new UaVariableNode.UaVariableNodeBuilder(getNodeContext())
            .setNodeId(newNodeId(nodeName(machineId, variable.name())))
            .setAccessLevel(accessLevel())
            .setUserAccessLevel(accessLevel())
            .setHistorizing(historyMs > 0)
            .setBrowseName(newQualifiedName(variable.name()))
            .setDisplayName(LocalizedText.english(variable.name()))
            .setDataType(dataType)
            .setTypeDefinition(NodeIds.BaseDataVariableType)
            .build();
    // Until the machine reports, its values are not available.
    node.setValue(
        new DataValue(Variant.NULL_VALUE, new StatusCode(StatusCode.BAD.value() | 0x00310000L)));
    return node;
  }

  /** Sets a machine variable's value with the simulated source timestamp. */
  public void apply(String machineId, NodeUpdate update) {
    UaVariableNode node = variables.get(nodeName(machineId, update.variable()));
    if (node == null) {
      throw new IllegalArgumentException(
          "no variable " + update.variable() + " on machine " + machineId);
    }
    Object value = update.value() instanceof Long count ? UInteger.valueOf(count) : update.value();
    DataValue dataValue =
        new DataValue(
            new Variant(value),
            StatusCode.GOOD,
            new DateTime(java.time.Instant.ofEpochMilli(update.ts())),
            DateTime.now());
    node.setValue(dataValue);
    VariableHistory history = histories.get(node.getNodeId());
    if (history != null) {
      history.add(dataValue, update.ts());
    }
  }

  private Set<AccessLevel> accessLevel() {
    return historyMs > 0
        ? EnumSet.of(AccessLevel.CurrentRead, AccessLevel.HistoryRead)
        : AccessLevel.READ_ONLY;
  }

  /**
   * Raw history of the variables: values with {@code start <= source time < end} (an unset end
   * reads to the newest), at most {@code numValuesPerNode} per call and the rest behind a
   * continuation point. Modified values, bounds and other kinds of history are not kept.
   */
  @Override
  public List<HistoryReadResult> historyRead(
      HistoryReadContext context,
      HistoryReadDetails details,
      TimestampsToReturn timestamps,
      List<HistoryReadValueId> ids) {
    List<HistoryReadResult> results = new ArrayList<>();
    for (HistoryReadValueId id : ids) {
      results.add(historyRead(details, id));
    }
    return results;
  }

  private HistoryReadResult historyRead(HistoryReadDetails details, HistoryReadValueId id) {
    VariableHistory history = histories.get(id.getNodeId());
    if (history == null) {
      return new HistoryReadResult(
          new StatusCode(StatusCodes.Bad_HistoryOperationUnsupported), null, null);
    }
    if (!(details instanceof ReadRawModifiedDetails raw)
        || Boolean.TRUE.equals(raw.getIsReadModified())) {
      return new HistoryReadResult(
          new StatusCode(StatusCodes.Bad_HistoryOperationUnsupported), null, null);
    }
    long start = timeOf(raw.getStartTime());
    ByteString continuation = id.getContinuationPoint();
    if (continuation != null && continuation.isNotNull()) {
      start = ByteBuffer.wrap(continuation.bytesOrEmpty()).getLong();
    }
    long end = timeOf(raw.getEndTime());
    int max = raw.getNumValuesPerNode() == null ? 0 : raw.getNumValuesPerNode().intValue();
    VariableHistory.Page page = history.read(start, end, max);
    ByteString next =
        page.next() < 0 ? null : ByteString.of(ByteBuffer.allocate(8).putLong(page.next()).array());
    HistoryData data = new HistoryData(page.values().toArray(DataValue[]::new));
    return new HistoryReadResult(
        StatusCode.GOOD,
        next,
        ExtensionObject.encode(getServer().getStaticEncodingContext(), data));
  }

  /** Epoch ms of an OPC UA time; 0 when unset. */
  private static long timeOf(DateTime time) {
    return time == null || time.isNull() ? 0 : time.getJavaTime();
  }

  @Override
  public void onDataItemsCreated(List<DataItem> dataItems) {
    subscriptionModel.onDataItemsCreated(dataItems);
  }

  @Override
  public void onDataItemsModified(List<DataItem> dataItems) {
    subscriptionModel.onDataItemsModified(dataItems);
  }

  @Override
  public void onDataItemsDeleted(List<DataItem> dataItems) {
    subscriptionModel.onDataItemsDeleted(dataItems);
  }

  @Override
  public void onMonitoringModeChanged(List<MonitoredItem> monitoredItems) {
    subscriptionModel.onMonitoringModeChanged(monitoredItems);
  }
}
