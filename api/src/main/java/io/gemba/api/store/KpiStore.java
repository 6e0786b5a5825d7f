package io.gemba.api.store;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * Read access to what the KPI job stores; implementations block, so call them off the event loop.
 */
public interface KpiStore extends AutoCloseable {

  /**
   * The summed times and counts of {@code scope} per window with {@code from <= start < to}, oldest
   * first.
   *
   * @param window {@code 1m}, {@code 1h}, {@code day} (local days in {@code zone}) or {@code shift}
   *     (the shift-to-date points of shifts that began in the range)
   * @param idealCycleMs the machine's ideal cycle time, for machine scope
   */
  List<OeeWindow> oee(
      Scope scope, String window, long from, long to, ZoneId zone, double idealCycleMs);

  /** Stop time by reason in the range, over the scope's machines. */
  Map<String, Long> stopReasons(Scope scope, long from, long to);

  /** A machine's signal in buckets of {@code bucketMs}, oldest first; empty buckets left out. */
  List<SignalBucket> signal(String machineId, String signal, long from, long to, long bucketMs);

  /** Anomalies that began in the range and whose tags equal {@code tags}, newest first. */
  List<AnomalyRow> anomalies(Map<String, String> tags, long from, long to, int limit);

  /**
   * Records that {@code user} acknowledged the anomaly of {@code machine}'s {@code signal} found by
   * {@code rule} and starting at {@code start}; false when there is no such anomaly.
   */
  boolean acknowledge(String machine, String signal, String rule, long start, String user, long at);

  /** Sequence gaps revealed in the range, of one gateway or all (null), newest first. */
  List<GapRow> gaps(String gateway, long from, long to, int limit);

  /** Latest state and signal values of a machine, looking back at most {@code lookbackMs}. */
  MachineLive machineLive(String machineId, long now, long lookbackMs);

  /**
   * The states a machine went through in the range, oldest first, the one it was in at {@code from}
   * included (looking back at most {@code lookbackMs} before it); the last span ends at {@code to}.
   */
  List<StateSpan> stateHistory(String machineId, long from, long to, long lookbackMs);

  /** The latest state of each machine of a factory that reported one in the lookback. */
  List<LatestState> latestStates(String factoryId, long now, long lookbackMs);

  /** True when the store answers. */
  boolean ping();

  @Override
  void close();
}
