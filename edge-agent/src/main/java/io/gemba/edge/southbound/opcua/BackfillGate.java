package io.gemba.edge.southbound.opcua;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;

/**
 * Stands between a machine's nodes and what their values become, so that values read back from
 * history after an outage and live values make one stream in time order, each value once:
 *
 * <ul>
 *   <li>it remembers each node's last source time passed on, where the history read starts;
 *   <li>while the history is read, live values wait (up to {@link #MAX_HELD}, beyond which they
 *       pass on and the history read gives up, so that nothing live is lost);
 *   <li>after the history, the waiting values follow, and a live value dated at or before the last
 *       value read back for its node is dropped: the server sent it twice, once in its history and
 *       once to the reconnected subscription.
 * </ul>
 */
final class BackfillGate {

  /** Live values held while history is read, across all of the machine's nodes. */
  static final int MAX_HELD = 100_000;

  private record Held(String node, DataValue value, Consumer<DataValue> next) {}

  private final Map<String, Long> last = new HashMap<>();
  private final Map<String, Long> seam = new HashMap<>();
  private final List<Held> held = new ArrayList<>();
  private boolean holding;
  private boolean overflowed;
  private Runnable onLive;

  /** {@code next}, behind the gate. */
  Consumer<DataValue> wrap(String node, Consumer<DataValue> next) {
    return v -> live(node, v, next);
  }

  private synchronized void live(String node, DataValue value, Consumer<DataValue> next) {
    if (holding) {
      if (held.size() < MAX_HELD) {
        held.add(new Held(node, value, next));
        Runnable first = onLive;
        onLive = null;
        if (first != null) {
          first.run();
        }
        return;
      }
      overflowed = true;
      release();
    }
    pass(node, value, next);
  }

  private void pass(String node, DataValue value, Consumer<DataValue> next) {
    long ts = DataValues.sourceTime(value);
    Long readBack = seam.get(node);
    if (readBack != null) {
      if (ts <= readBack) {
        return;
      }
      seam.remove(node);
    }
    if (ts > 0) {
      last.put(node, ts);
    }
    next.accept(value);
  }

  /**
   * Holds live values until {@link #release}, and returns where each node's history read starts:
   * the source time of its last value passed on.
   */
  synchronized Map<String, Long> hold() {
    holding = true;
    overflowed = false;
    return Map.copyOf(last);
  }

  /**
   * Runs {@code action} when the next live value arrives while holding: the subscription delivers
   * again, so what the history holds from then on overlaps what is held, and nothing falls between.
   */
  synchronized void whenLive(Runnable action) {
    onLive = action;
  }

  /** Whether live values overflowed the hold since {@link #hold}: the history read must stop. */
  synchronized boolean overflowed() {
    return overflowed;
  }

  /**
   * Passes on a value read back from history to its node's {@code next}, unless it is not newer
   * than the node's last value passed on; from then on live values of the node dated at or before
   * it are dropped.
   *
   * @return whether it was passed on
   */
  synchronized boolean readBack(String node, DataValue value, Consumer<DataValue> next) {
    long ts = DataValues.sourceTime(value);
    Long lastPassed = last.get(node);
    if (lastPassed != null && ts <= lastPassed) {
      return false; // passed on already: a value from before the gap
    }
    seam.merge(node, ts, Math::max);
    last.put(node, ts);
    next.accept(value);
    return true;
  }

  /** Passes on the held live values in arrival order and lets the next ones through. */
  synchronized void release() {
    holding = false;
    onLive = null;
    List<Held> waiting = new ArrayList<>(held);
    held.clear();
    for (Held h : waiting) {
      pass(h.node(), h.value(), h.next());
    }
  }
}
