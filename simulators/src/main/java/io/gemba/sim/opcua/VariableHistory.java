package io.gemba.sim.opcua;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;

/**
 * The past values of one variable, in source-time order, for as long as the server's history
 * window: what a PLC or a historian behind an OPC UA server keeps, so that a client that lost its
 * connection can read what it missed.
 */
final class VariableHistory {

  private final long windowMs;
  private final ArrayDeque<DataValue> values = new ArrayDeque<>();

  VariableHistory(long windowMs) {
    this.windowMs = windowMs;
  }

  /** Keeps {@code value}, dated {@code ts}, and forgets what fell out of the window. */
  synchronized void add(DataValue value, long ts) {
    values.addLast(value);
    while (!values.isEmpty() && ts - timeOf(values.peekFirst()) > windowMs) {
      values.removeFirst();
    }
  }

  /**
   * Up to {@code max} values (0: all) with {@code start <= ts < end} ({@code end} 0: no end), in
   * time order, and the time to continue from when there are more.
   */
  synchronized Page read(long start, long end, int max) {
    List<DataValue> out = new ArrayList<>();
    Iterator<DataValue> it = values.iterator();
    while (it.hasNext()) {
      DataValue v = it.next();
      long ts = timeOf(v);
      if (ts < start) {
        continue;
      }
      if (end > 0 && ts >= end) {
        break;
      }
      if (max > 0 && out.size() == max) {
        return new Page(out, ts);
      }
      out.add(v);
    }
    return new Page(out, -1);
  }

  /** A page of values; {@code next} is where the following page starts, -1 after the last. */
  record Page(List<DataValue> values, long next) {}

  static long timeOf(DataValue v) {
    return v.getSourceTime() == null ? 0 : v.getSourceTime().getJavaTime();
  }
}
