package io.gemba.edge.southbound.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseResultMask;
import org.eclipse.milo.opcua.stack.core.types.enumerated.NodeClass;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseResult;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;

/**
 * Finds the variables below an object of a server's address space: follows hierarchical references
 * (not properties, which are metadata) through objects and variables, and keeps the variables whose
 * data type is numeric or boolean, with their browse path relative to the object.
 */
public final class AddressSpaceBrowser {

  /** Data types whose values become signal values, by name. */
  private static final Map<NodeId, String> NUMERIC =
      Map.ofEntries(
          Map.entry(NodeIds.Boolean, "Boolean"),
          Map.entry(NodeIds.SByte, "SByte"),
          Map.entry(NodeIds.Byte, "Byte"),
          Map.entry(NodeIds.Int16, "Int16"),
          Map.entry(NodeIds.UInt16, "UInt16"),
          Map.entry(NodeIds.Int32, "Int32"),
          Map.entry(NodeIds.UInt32, "UInt32"),
          Map.entry(NodeIds.Int64, "Int64"),
          Map.entry(NodeIds.UInt64, "UInt64"),
          Map.entry(NodeIds.Float, "Float"),
          Map.entry(NodeIds.Double, "Double"),
          Map.entry(NodeIds.Duration, "Duration"),
          Map.entry(NodeIds.Number, "Number"),
          Map.entry(NodeIds.Integer, "Integer"),
          Map.entry(NodeIds.UInteger, "UInteger"));

  private static final int CHUNK = 100;

  /** A numeric variable found below the browsed object. */
  public record Variable(List<String> path, NodeId node, NodeId dataType, DataValue value) {
    /** The data type's name, e.g. {@code Double}. */
    public String dataTypeName() {
      return NUMERIC.getOrDefault(dataType, dataType.toParseableString());
    }

    /** Browse names below the object joined by {@code /}. */
    public String relativePath() {
      return String.join("/", path);
    }

    /** The signal name this variable gets: its relative path in snake_case. */
    public String signalName(String prefix) {
      String name = snakeCase(path);
      return prefix == null ? name : prefix + "_" + name;
    }
  }

  private final OpcUaClient client;

  public AddressSpaceBrowser(OpcUaClient client) {
    this.client = client;
  }

  /** The object a browse entry names, by NodeId or by browse path from the Objects folder. */
  public NodeId resolve(BrowseSpec spec) throws UaException {
    return spec.root() != null ? NodeId.parse(spec.root()) : resolvePath(spec.path());
  }

  /**
   * Follows browse names from the Objects folder. A segment {@code 2:Machines} must match the
   * namespace index too; {@code Machines} matches the name in any namespace.
   *
   * @throws UaException with Bad_NoMatch naming the segment that was not found
   */
  public NodeId resolvePath(String path) throws UaException {
    NodeId current = NodeIds.ObjectsFolder;
    StringBuilder walked = new StringBuilder("Objects");
    for (String segment : path.split("/")) {
      Integer namespace = null;
      String name = segment;
      int colon = segment.indexOf(':');
      if (colon > 0 && segment.substring(0, colon).matches("\\d+")) {
        namespace = Integer.parseInt(segment.substring(0, colon));
        name = segment.substring(colon + 1);
      }
      NodeId next = null;
      for (ReferenceDescription ref : children(List.of(current)).get(0)) {
        QualifiedName browseName = ref.getBrowseName();
        if (name.equals(browseName.name())
            && (namespace == null || namespace == browseName.namespaceIndex().intValue())) {
          next = toNodeId(ref).orElse(null);
          break;
        }
      }
      if (next == null) {
        throw new UaException(
            StatusCodes.Bad_NoMatch,
            "no node '" + segment + "' below " + walked + " on the server");
      }
      walked.append('/').append(segment);
      current = next;
    }
    return current;
  }

  /** Numeric and boolean variables below {@code root}, at most {@code maxDepth} levels down. */
  public List<Variable> variables(NodeId root, int maxDepth) throws UaException {
    record Found(List<String> path, NodeId node, NodeClass nodeClass) {}
    List<Found> variables = new ArrayList<>();
    Set<NodeId> visited = new HashSet<>(List.of(root));
    List<Found> level = List.of(new Found(List.of(), root, NodeClass.Object));
    for (int depth = 1; depth <= maxDepth && !level.isEmpty(); depth++) {
      List<Found> next = new ArrayList<>();
      for (int from = 0; from < level.size(); from += CHUNK) {
        List<Found> chunk = level.subList(from, Math.min(level.size(), from + CHUNK));
        List<List<ReferenceDescription>> children =
            children(chunk.stream().map(Found::node).toList());
        for (int i = 0; i < chunk.size(); i++) {
          for (ReferenceDescription ref : children.get(i)) {
            Optional<NodeId> id = toNodeId(ref);
            if (id.isEmpty() || !visited.add(id.get())) {
              continue;
            }
            List<String> path = new ArrayList<>(chunk.get(i).path());
            path.add(ref.getBrowseName().name());
            Found found = new Found(List.copyOf(path), id.get(), ref.getNodeClass());
            next.add(found);
            if (ref.getNodeClass() == NodeClass.Variable) {
              variables.add(found);
            }
          }
        }
      }
      level = next;
    }
    List<Variable> numeric = new ArrayList<>();
    for (int from = 0; from < variables.size(); from += CHUNK) {
      List<Found> chunk = variables.subList(from, Math.min(variables.size(), from + CHUNK));
      List<ReadValueId> reads = new ArrayList<>();
      for (Found f : chunk) {
        reads.add(new ReadValueId(f.node(), AttributeId.DataType.uid(), null, null));
        reads.add(new ReadValueId(f.node(), AttributeId.Value.uid(), null, null));
      }
      DataValue[] results = client.read(0.0, TimestampsToReturn.Source, reads).getResults();
      for (int i = 0; i < chunk.size(); i++) {
        Object dataType = results[2 * i].getValue().getValue();
        if (dataType instanceof NodeId type && NUMERIC.containsKey(type)) {
          Found f = chunk.get(i);
          numeric.add(new Variable(f.path(), f.node(), type, results[2 * i + 1]));
        }
      }
    }
    return numeric;
  }

  /** Forward hierarchical references to objects and variables, properties left out. */
  private List<List<ReferenceDescription>> children(List<NodeId> nodes) throws UaException {
    List<BrowseDescription> requests = new ArrayList<>();
    for (NodeId node : nodes) {
      requests.add(
          new BrowseDescription(
              node,
              BrowseDirection.Forward,
              NodeIds.HierarchicalReferences,
              true,
              uint(NodeClass.Object.getValue() | NodeClass.Variable.getValue()),
              uint(BrowseResultMask.All.getValue())));
    }
    List<BrowseResult> results = client.browse(requests);
    List<List<ReferenceDescription>> children = new ArrayList<>();
    for (BrowseResult result : results) {
      List<ReferenceDescription> refs = new ArrayList<>();
      BrowseResult page = result;
      while (true) {
        if (page.getStatusCode().isBad()) {
          break;
        }
        if (page.getReferences() != null) {
          for (ReferenceDescription ref : page.getReferences()) {
            if (!NodeIds.HasProperty.equals(ref.getReferenceTypeId())) {
              refs.add(ref);
            }
          }
        }
        ByteString continuation = page.getContinuationPoint();
        if (continuation == null || continuation.isNull()) {
          break;
        }
        page = client.browseNext(false, List.of(continuation)).getResults()[0];
      }
      children.add(refs);
    }
    return children;
  }

  private Optional<NodeId> toNodeId(ReferenceDescription ref) {
    return ref.getNodeId().toNodeId(client.getNamespaceTable());
  }

  /**
   * Browse names as one snake_case signal name: {@code [Spindle, ActualSpeed]} →
   * spindle_actual_speed.
   */
  static String snakeCase(List<String> path) {
    String s =
        String.join("_", path)
            .replaceAll("([a-z0-9])([A-Z])", "$1_$2")
            .replaceAll("([A-Z]+)([A-Z][a-z])", "$1_$2")
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9]+", "_")
            .replaceAll("^_+|_+$", "");
    if (s.isEmpty()) {
      return "value";
    }
    return Character.isLetter(s.charAt(0)) ? s : "s_" + s;
  }
}
