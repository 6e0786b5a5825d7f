package io.gemba.sim.opcua;

import io.gemba.sim.cnc.NodeUpdate;
import io.gemba.sim.machine.Variable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.server.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.sdk.server.items.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;

/**
 * Maps simulated machines to OPC UA nodes: a folder per machine under {@code Objects/Machines},
 * with one variable per machine variable. Node ids are strings of the form {@code
 * <machine-id>/<variable>}, e.g. {@code ns=2;s=cnc-07/Spindle.Speed}.
 */
public final class MachineNamespace extends ManagedNamespaceWithLifecycle {

  public static final String NAMESPACE_URI = "urn:gemba:simulators:machines";

  private final List<MachineNodes> machines;
  private final Map<String, UaVariableNode> variables = new ConcurrentHashMap<>();
  private final SubscriptionModel subscriptionModel;

  public MachineNamespace(OpcUaServer server, List<MachineNodes> machines) {
    super(server, NAMESPACE_URI);
    this.machines = List.copyOf(machines);
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
            .setAccessLevel(AccessLevel.READ_ONLY)
            .setUserAccessLevel(AccessLevel.READ_ONLY)
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
    node.setValue(
        new DataValue(
            new Variant(value),
            StatusCode.GOOD,
            new DateTime(java.time.Instant.ofEpochMilli(update.ts())),
            DateTime.now()));
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
