package io.gemba.sim.truth;

import io.gemba.sim.cnc.NodeUpdate;
import io.gemba.sim.machine.Variable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The simulators' own count of the signal values their machines' OPC UA servers exposed, per
 * machine and minute of source time: a value counts when a tick leaves a signal variable with a
 * value other than the one it held (a value overwritten within the same tick was never visible).
 * Benchmarks compare it with the values stored, to count loss independently of the platform's own
 * sequence numbers. Minutes are kept for a day of source time.
 */
public final class ExposedValues {

  /** A machine's count for one minute of source time. */
  public record Minute(String machine, long start, long count) {}

  private static final long MINUTE = 60_000;
  private static final long KEEP = 24 * 60 * MINUTE;

  private final Map<String, Map<String, Object>> last = new HashMap<>();
  private final Map<String, NavigableMap<Long, Long>> counts = new HashMap<>();

  /** Records one tick's updates of {@code machine}, whose signals are {@code signals}. */
  public synchronized void tick(
      String machine, List<NodeUpdate> updates, Map<String, Variable> signals) {
    Map<String, NodeUpdate> newest = new LinkedHashMap<>();
    for (NodeUpdate u : updates) {
      if (signals.containsKey(u.variable())) {
        newest.put(u.variable(), u);
      }
    }
    Map<String, Object> held = last.computeIfAbsent(machine, m -> new HashMap<>());
    NavigableMap<Long, Long> perMinute = counts.computeIfAbsent(machine, m -> new TreeMap<>());
    for (NodeUpdate u : newest.values()) {
      if (!Objects.equals(held.put(u.variable(), u.value()), u.value())) {
        perMinute.merge(Math.floorDiv(u.ts(), MINUTE) * MINUTE, 1L, Long::sum);
      }
    }
    if (!perMinute.isEmpty()) {
      perMinute.headMap(perMinute.lastKey() - KEEP).clear();
    }
  }

  /** Values {@code machine} exposed in the whole minutes from {@code fromMs} to {@code toMs}. */
  public synchronized long count(String machine, long fromMs, long toMs) {
    NavigableMap<Long, Long> perMinute = counts.get(machine);
    if (perMinute == null) {
      return 0;
    }
    return perMinute.subMap(fromMs, true, toMs, false).values().stream()
        .mapToLong(Long::longValue)
        .sum();
  }

  /** The minutes before {@code beforeMs} not yet drained, removed from what drain returns next. */
  public synchronized List<Minute> drainBefore(long beforeMs, Map<String, Long> drained) {
    List<Minute> out = new ArrayList<>();
    counts.forEach(
        (machine, perMinute) -> {
          long from = drained.getOrDefault(machine, Long.MIN_VALUE);
          for (Map.Entry<Long, Long> e :
              perMinute
                  .subMap(from, false, Math.floorDiv(beforeMs, MINUTE) * MINUTE, false)
                  .entrySet()) {
            out.add(new Minute(machine, e.getKey(), e.getValue()));
            drained.put(machine, e.getKey());
          }
        });
    return out;
  }
}
