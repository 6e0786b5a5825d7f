package io.gemba.model.oee;

/**
 * OEE of one machine over one window {@code [start, end)}, with the inputs it was computed from and
 * how much of the planned time was seen with a known machine state.
 *
 * @param knownPlannedMs planned time for which the machine's state was known; coverage is this
 *     divided by {@code inputs.plannedMs()}
 */
public record MachineOee(
    String machineId, long start, long end, OeeInputs inputs, long knownPlannedMs) {

  public OeeFigures figures() {
    return OeeCalculator.compute(inputs);
  }

  /** Share of planned time with a known state, NaN when nothing was planned. */
  public double coverage() {
    return inputs.plannedMs() == 0 ? Double.NaN : (double) knownPlannedMs / inputs.plannedMs();
  }
}
