package io.gemba.edge.southbound.opcua;

import java.util.function.Consumer;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;

/** One node a machine is read from, how, and what its values become. */
record NodeWatch(
    String node,
    int samplingMs,
    int queueSize,
    boolean discardOldest,
    Deadband deadband,
    boolean poll,
    Consumer<DataValue> onValue) {

  /** State and counter nodes: sampled every 100 ms, every change kept. */
  static NodeWatch stateOrCounter(String node, Consumer<DataValue> onValue) {
    return new NodeWatch(node, 100, SignalNode.DEFAULT_QUEUE_SIZE, true, null, false, onValue);
  }
}
