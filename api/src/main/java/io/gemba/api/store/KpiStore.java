package io.gemba.api.store;

import java.util.List;

/**
 * Read access to what the KPI job stores; implementations block, so call them off the event loop.
 */
public interface KpiStore extends AutoCloseable {

  /** OEE minutes of a machine with {@code from <= start < to}, oldest first. */
  List<OeePoint> machineOee(String machineId, long from, long to);

  /** Latest state and signal values of a machine, looking back at most {@code lookbackMs}. */
  MachineLive machineLive(String machineId, long now, long lookbackMs);

  /** True when the store answers. */
  boolean ping();

  @Override
  void close();
}
