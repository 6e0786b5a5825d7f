package io.gemba.edge.southbound.opcua;

import io.gemba.model.config.Names;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A machine's signals at connection time: the configured ones, then those its {@code browse}
 * entries find on the server. A node already used by a signal, the state or a counter is not added
 * again; a second variable with a name already taken is logged and left out.
 */
final class BrowsedSignals {

  private static final Logger log = LoggerFactory.getLogger(BrowsedSignals.class);

  private BrowsedSignals() {}

  static List<SignalNode> resolve(OpcUaClient client, OpcUaSource source, String machineId)
      throws UaException {
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
      if (source.state().reason() != null) {
        nodes.add(NodeId.parse(source.state().reason()).toParseableString());
      }
    }
    if (source.counters() != null) {
      nodes.add(NodeId.parse(source.counters().total()).toParseableString());
      nodes.add(NodeId.parse(source.counters().quality()).toParseableString());
    }
    AddressSpaceBrowser browser = new AddressSpaceBrowser(client);
    for (BrowseSpec spec : source.browse()) {
      NodeId root = browser.resolve(spec);
      int found = 0;
      for (AddressSpaceBrowser.Variable v : browser.variables(root, spec.maxDepth())) {
        String node = v.node().toParseableString();
        String name = v.signalName(spec.prefix());
        if (!spec.matches(v.relativePath()) || nodes.contains(node)) {
          continue;
        }
        if (!Names.isSignal(name)) {
          log.warn(
              "opcua browse found a variable whose signal name is not valid (at most {}"
                  + " snake_case characters), left out machine={} signal={} node={}",
              Names.MAX_LENGTH,
              machineId,
              Names.shown(name),
              node);
          continue;
        }
        if (!names.add(name)) {
          log.warn(
              "opcua browse found a second variable for signal name, left out machine={}"
                  + " signal={} node={}",
              machineId,
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
          machineId,
          spec.root() != null ? spec.root() : spec.path(),
          found);
      if (found == 0) {
        log.warn(
            "opcua browse found no numeric variable matching include={} exclude={} machine={}"
                + " root={}",
            spec.include(),
            spec.exclude(),
            machineId,
            root.toParseableString());
      }
    }
    return signals;
  }
}
