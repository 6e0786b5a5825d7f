package io.gemba.jobs.records;

import io.gemba.model.oee.MachineOee;
import io.gemba.model.oee.OeeFigures;
import io.gemba.model.oee.OeeInputs;

/** OEE of one machine for one event-time minute, with the inputs it was computed from. */
public record OeeMinute(
    String factory,
    String line,
    String machine,
    long start,
    long end,
    long plannedMs,
    long runMs,
    long knownPlannedMs,
    long total,
    long good,
    double idealCycleMs) {

  public static OeeMinute of(String factory, String line, MachineOee oee) {
    OeeInputs in = oee.inputs();
    return new OeeMinute(
        factory,
        line,
        oee.machineId(),
        oee.start(),
        oee.end(),
        in.plannedMs(),
        in.runMs(),
        oee.knownPlannedMs(),
        in.totalCount(),
        in.goodCount(),
        in.idealCycleMs());
  }

  public MachineOee toMachineOee() {
    return new MachineOee(
        machine,
        start,
        end,
        new OeeInputs(plannedMs, runMs, total, good, idealCycleMs),
        knownPlannedMs);
  }

  public OeeFigures figures() {
    return toMachineOee().figures();
  }
}
