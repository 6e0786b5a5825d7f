package io.gemba.jobs.records;

import io.gemba.model.oee.MachineOee;
import io.gemba.model.oee.OeeFigures;
import io.gemba.model.oee.OeeInputs;
import io.gemba.model.oee.StateTimes;
import java.util.Map;
import java.util.TreeMap;

/**
 * OEE of one machine for one event-time minute, with the inputs it was computed from, the split of
 * its known time among states, and its stop time by reason.
 *
 * @param stopReasons a mutable sorted map, so that Flink's serializer can copy it
 */
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
    double idealCycleMs,
    StateTimes times,
    long startupRejects,
    TreeMap<String, Long> stopReasons) {

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
        in.idealCycleMs(),
        oee.times(),
        oee.startupRejects(),
        new TreeMap<>(oee.stopReasons()));
  }

  public MachineOee toMachineOee() {
    return new MachineOee(
        machine,
        start,
        end,
        new OeeInputs(plannedMs, runMs, total, good, idealCycleMs),
        knownPlannedMs,
        times,
        startupRejects,
        stopReasons == null ? Map.of() : stopReasons);
  }

  public OeeFigures figures() {
    return toMachineOee().figures();
  }
}
