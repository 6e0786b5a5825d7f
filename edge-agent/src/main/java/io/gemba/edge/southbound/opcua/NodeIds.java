package io.gemba.edge.southbound.opcua;

import io.gemba.model.config.InvalidFieldException;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;

/** Validation of NodeId strings in the standard form {@code ns=<index>;<type>=<id>}. */
final class NodeIds {

  private NodeIds() {}

  static String require(String field, String text) {
    if (text == null || NodeId.parseOrNull(text) == null) {
      throw new InvalidFieldException(
          field,
          "expected a NodeId like \"ns=2;s=Spindle.Speed\" or \"ns=3;i=1001\", got '" + text + "'");
    }
    return text;
  }
}
