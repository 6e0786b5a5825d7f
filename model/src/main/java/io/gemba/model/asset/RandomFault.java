package io.gemba.model.asset;

import io.gemba.model.config.InvalidFieldException;
import java.time.Duration;
import java.util.List;

/**
 * Faults the simulators inject at random into every matching machine of the park: each machine gets
 * one after another, their starts a Poisson process of mean gap {@code every}, each on one of its
 * signals drawn at random. Read by the simulators only.
 *
 * @param kind what goes wrong, as for {@link Fault}
 * @param every mean time between the end of one such fault and the start of the next, per machine
 * @param duration how long each lasts
 * @param magnitude as for {@link Fault}
 * @param period as for {@link Fault}
 * @param machineKinds the kinds of machine that get it; default all
 * @param signals the signals it may hit, by name; default every measured signal of the machine
 */
public record RandomFault(
    FaultKind kind,
    Duration every,
    Duration duration,
    Double magnitude,
    Duration period,
    List<MachineKind> machineKinds,
    List<String> signals) {
  public RandomFault {
    if (every == null || every.isZero() || every.isNegative()) {
      throw new InvalidFieldException(
          "every", "expected the mean time between faults per machine, e.g. PT6H");
    }
    machineKinds = machineKinds == null ? List.of() : List.copyOf(machineKinds);
    signals = signals == null ? List.of() : List.copyOf(signals);
    // The placed faults are checked as scripted ones are; check a first one now.
    new Fault(
        kind,
        kind == FaultKind.CLOCK_SKEW || signals.isEmpty() ? "any" : signals.get(0),
        Duration.ZERO,
        duration,
        magnitude,
        period);
  }

  /** One occurrence of this fault, on {@code signal}, starting {@code after} the origin. */
  public Fault occurrence(String signal, Duration after) {
    return new Fault(
        kind, kind == FaultKind.CLOCK_SKEW ? null : signal, after, duration, magnitude, period);
  }

  /** Whether machines of {@code machineKind} get this fault. */
  public boolean appliesTo(MachineKind machineKind) {
    return machineKinds.isEmpty() || machineKinds.contains(machineKind);
  }
}
