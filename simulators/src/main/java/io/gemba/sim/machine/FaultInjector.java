package io.gemba.sim.machine;

import io.gemba.model.asset.Fault;
import io.gemba.model.asset.FaultKind;
import io.gemba.sim.cnc.NodeUpdate;
import io.gemba.sim.truth.InjectedFault;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies a machine's faults to the updates it produces, each within its exact bounds {@code
 * [start, end)} of simulated time: drift, spikes, a stuck value, oscillation, a level shift and
 * dropout change one measurement; a clock skew shifts every timestamp of the machine.
 */
public final class FaultInjector {

  private final List<InjectedFault> faults;

  /** The last value each variable had before any fault touched it. */
  private final Map<String, Object> lastClean = new HashMap<>();

  /** The value a stuck sensor repeats, per fault. */
  private final Map<InjectedFault, Object> stuck = new HashMap<>();

  private FaultInjector(List<InjectedFault> faults) {
    this.faults = List.copyOf(faults);
  }

  /**
   * Places the faults of {@code machineId} after {@code origin}.
   *
   * @throws IllegalArgumentException naming the fault whose signal the machine does not have
   */
  public static FaultInjector of(
      String machineId, List<Fault> faults, List<Variable> measurements, long origin) {
    List<InjectedFault> placed = new ArrayList<>();
    for (int i = 0; i < faults.size(); i++) {
      Fault f = faults.get(i);
      String variable = "";
      if (f.kind() != FaultKind.CLOCK_SKEW) {
        variable =
            measurements.stream()
                .filter(v -> v.signalName().equals(f.signal()))
                .map(Variable::name)
                .findFirst()
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "machine "
                                + machineId
                                + " faults["
                                + placed.size()
                                + "].signal: no signal '"
                                + f.signal()
                                + "'; expected one of "
                                + measurements.stream().map(Variable::signalName).toList()));
      }
      long start = origin + f.after().toMillis();
      placed.add(new InjectedFault(machineId, variable, f, start, start + f.duration().toMillis()));
    }
    return new FaultInjector(placed);
  }

  public List<InjectedFault> faults() {
    return faults;
  }

  /** The updates as the faulty machine reports them. */
  public List<NodeUpdate> apply(List<NodeUpdate> updates, long samplePeriodMs) {
    if (faults.isEmpty()) {
      return updates;
    }
    List<NodeUpdate> out = new ArrayList<>(updates.size());
    for (NodeUpdate u : updates) {
      NodeUpdate changed = u;
      boolean touched = false;
      for (InjectedFault f : faults) {
        if (u.ts() < f.start() || u.ts() >= f.end()) {
          continue;
        }
        if (f.fault().kind() == FaultKind.CLOCK_SKEW) {
          long skew = Math.round(f.fault().magnitude() * 1000);
          changed = new NodeUpdate(changed.variable(), changed.value(), changed.ts() + skew);
          continue;
        }
        if (!f.variable().equals(u.variable()) || changed == null) {
          continue;
        }
        touched = true;
        changed = fault(f, changed, samplePeriodMs);
      }
      if (!touched && u.value() instanceof Double) {
        lastClean.put(u.variable(), u.value());
      }
      if (changed != null) {
        out.add(changed);
      }
    }
    return out;
  }

  private NodeUpdate fault(InjectedFault f, NodeUpdate u, long samplePeriodMs) {
    double value = u.value() instanceof Number n ? n.doubleValue() : 0;
    double magnitude = f.fault().magnitude() == null ? 0 : f.fault().magnitude();
    long into = u.ts() - f.start();
    double faulty =
        switch (f.fault().kind()) {
          case DRIFT -> value + magnitude * into / (double) (f.end() - f.start());
          case SPIKE ->
              into % f.fault().period().toMillis() < samplePeriodMs ? value + magnitude : value;
          case OSCILLATION ->
              value
                  + magnitude
                      * Math.sin(2 * Math.PI * into / (double) f.fault().period().toMillis());
          case LEVEL_SHIFT -> value + magnitude;
          case STUCK -> {
            Object held =
                stuck.computeIfAbsent(f, k -> lastClean.getOrDefault(u.variable(), value));
            yield ((Number) held).doubleValue();
          }
          case DROPOUT, CLOCK_SKEW -> Double.NaN;
        };
    if (f.fault().kind() == FaultKind.DROPOUT) {
      return null;
    }
    return new NodeUpdate(u.variable(), Math.round(faulty * 1000) / 1000.0, u.ts());
  }
}
