package io.gemba.sim.machine;

import io.gemba.model.asset.Fault;
import io.gemba.model.asset.FaultKind;
import io.gemba.model.asset.MachineKind;
import io.gemba.model.asset.RandomFault;
import io.gemba.sim.cnc.NodeUpdate;
import io.gemba.sim.truth.InjectedFault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Applies a machine's faults to the updates it produces, each within its exact bounds {@code
 * [start, end)} of simulated time: drift, spikes, a stuck value, oscillation, a level shift and
 * dropout change one measurement; a clock skew shifts every timestamp of the machine.
 */
public final class FaultInjector {

  /** How long before it starts a random fault is placed, and written to the ground truth. */
  public static final long PLACE_AHEAD_MS = 60_000;

  private final String machineId;
  private final List<Variable> measurements;
  private final long origin;
  private final List<InjectedFault> faults;
  private final List<InjectedFault> placed = new ArrayList<>();

  /** The faults not over yet, which updates are checked against. */
  private final List<InjectedFault> active = new ArrayList<>();

  private final List<RandomStream> randomStreams = new ArrayList<>();

  /** The last value each variable had before any fault touched it. */
  private final Map<String, Object> lastClean = new HashMap<>();

  /** The value a stuck sensor repeats, per fault. */
  private final Map<InjectedFault, Object> stuck = new HashMap<>();

  /** The random faults of one kind a machine gets: starts one mean gap apart, at random. */
  private static final class RandomStream {
    final RandomFault spec;
    final List<Variable> targets;
    final SplittableRandom random;
    long nextStart;

    RandomStream(RandomFault spec, List<Variable> targets, SplittableRandom random, long from) {
      this.spec = spec;
      this.targets = targets;
      this.random = random;
      this.nextStart = from + gap();
    }

    long gap() {
      return Math.round(-spec.every().toMillis() * Math.log(1 - random.nextDouble()));
    }
  }

  private FaultInjector(
      String machineId, List<Variable> measurements, long origin, List<InjectedFault> faults) {
    this.machineId = machineId;
    this.measurements = measurements;
    this.origin = origin;
    this.faults = new ArrayList<>(faults);
    this.placed.addAll(faults);
    this.active.addAll(faults);
  }

  /**
   * Adds the random faults that apply to a machine of {@code kind}: those for its kind that name
   * one of its signals, or none.
   */
  public void addRandom(List<RandomFault> specs, MachineKind kind, long seed) {
    for (int i = 0; i < specs.size(); i++) {
      RandomFault spec = specs.get(i);
      if (!spec.appliesTo(kind)) {
        continue;
      }
      List<Variable> targets =
          spec.signals().isEmpty()
              ? measurements
              : measurements.stream().filter(v -> spec.signals().contains(v.signalName())).toList();
      if (targets.isEmpty()) {
        continue;
      }
      SplittableRandom random = new SplittableRandom(seed * 7_919 + i);
      randomStreams.add(new RandomStream(spec, targets, random, origin));
    }
  }

  /** Places every random fault that starts at or before {@code until}. */
  public void placeUntil(long until) {
    for (RandomStream stream : randomStreams) {
      while (stream.nextStart <= until) {
        long start = stream.nextStart;
        Variable target = stream.targets.get(stream.random.nextInt(stream.targets.size()));
        Fault fault =
            stream.spec.occurrence(target.signalName(), Duration.ofMillis(start - origin));
        String variable = fault.kind() == FaultKind.CLOCK_SKEW ? "" : target.name();
        InjectedFault injected =
            new InjectedFault(
                machineId, variable, fault, start, start + fault.duration().toMillis());
        faults.add(injected);
        placed.add(injected);
        active.add(injected);
        stream.nextStart = injected.end() + stream.gap();
      }
    }
  }

  /** Faults placed since the last call: at first the scripted ones, then random ones. */
  public List<InjectedFault> drainPlaced() {
    List<InjectedFault> out = List.copyOf(placed);
    placed.clear();
    return out;
  }

  /**
   * Places the faults of {@code machineId} after {@code origin}.
   *
   * @throws IllegalArgumentException naming the fault whose signal the machine does not have
   */
  public static FaultInjector of(
      String machineId, List<Fault> faults, List<Variable> measurements, long origin) {
    List<InjectedFault> scripted = new ArrayList<>();
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
                                + scripted.size()
                                + "].signal: no signal '"
                                + f.signal()
                                + "'; expected one of "
                                + measurements.stream().map(Variable::signalName).toList()));
      }
      long start = origin + f.after().toMillis();
      scripted.add(
          new InjectedFault(machineId, variable, f, start, start + f.duration().toMillis()));
    }
    return new FaultInjector(machineId, measurements, origin, scripted);
  }

  public List<InjectedFault> faults() {
    return List.copyOf(faults);
  }

  /** The updates as the faulty machine reports them. */
  public List<NodeUpdate> apply(List<NodeUpdate> updates, long samplePeriodMs) {
    if (!updates.isEmpty()) {
      long first = updates.get(0).ts();
      for (Iterator<InjectedFault> it = active.iterator(); it.hasNext(); ) {
        InjectedFault f = it.next();
        if (f.end() <= first) {
          stuck.remove(f);
          it.remove();
        }
      }
    }
    if (active.isEmpty()) {
      return updates;
    }
    List<NodeUpdate> out = new ArrayList<>(updates.size());
    for (NodeUpdate u : updates) {
      NodeUpdate changed = u;
      boolean touched = false;
      for (InjectedFault f : active) {
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
