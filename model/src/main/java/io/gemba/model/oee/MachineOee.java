package io.gemba.model.oee;

import java.util.Map;

/**
 * OEE of one machine over one window {@code [start, end)}, with the inputs it was computed from and
 * how much of the planned time was seen with a known machine state.
 *
 * @param knownPlannedMs planned time for which the machine's state was known; coverage is this
 *     divided by {@code inputs.plannedMs()}
 * @param times how the known planned time divides among the states; {@code inputs.runMs()} is its
 *     run time
 * @param startupRejects rejected parts counted in the startup window after a setup
 * @param stopReasons known planned time not producing, by stop reason: the reason the machine
 *     reported, or the state's name ({@code idle}, {@code down}, {@code setup}, {@code
 *     planned_stop}) when it reported none
 */
public record MachineOee(
    String machineId,
    long start,
    long end,
    OeeInputs inputs,
    long knownPlannedMs,
    StateTimes times,
    long startupRejects,
    Map<String, Long> stopReasons) {

  public MachineOee {
    times = times == null ? StateTimes.ZERO : times;
    stopReasons = stopReasons == null ? Map.of() : Map.copyOf(stopReasons);
  }

  /** A window known only by its inputs, without the split of its time among states. */
  public MachineOee(String machineId, long start, long end, OeeInputs inputs, long knownPlannedMs) {
    this(machineId, start, end, inputs, knownPlannedMs, null, 0, null);
  }

  public OeeFigures figures() {
    return OeeCalculator.compute(inputs);
  }

  /** Share of planned time with a known state, NaN when nothing was planned. */
  public double coverage() {
    return inputs.plannedMs() == 0 ? Double.NaN : (double) knownPlannedMs / inputs.plannedMs();
  }
}
