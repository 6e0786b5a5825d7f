package io.gemba.sim.moulding;

import io.gemba.model.asset.MachineState;
import io.gemba.sim.cnc.NodeUpdate;
import io.gemba.sim.cnc.ScheduleEvent;
import io.gemba.sim.machine.MachineSetup;
import io.gemba.sim.machine.SimulatedMachine;
import io.gemba.sim.machine.Variable;
import java.util.List;

/**
 * A simulated injection moulding machine with the energy meter in its cabinet. While producing, the
 * barrel holds the melt at its set point, every shot raises the injection pressure for a part of
 * the cycle, the mould warms up and the machine draws its full power; otherwise the heaters only
 * hold the temperature and the hydraulics rest; when down everything cools. Every finished part is
 * one shot: the controller's shot counter is a 16-bit register that wraps. Signals are sampled once
 * per simulated second; the energy meter integrates the power.
 */
public final class MouldingMachine extends SimulatedMachine {

  public static final String MELT_TEMPERATURE = "Melt.Temperature";
  public static final String INJECTION_PRESSURE = "Injection.Pressure";
  public static final String MOULD_TEMPERATURE = "Mould.Temperature";
  public static final String CYCLE_TIME = "Cycle.Time";
  public static final String POWER = "Power";
  public static final String ENERGY = "Energy";

  private static final List<Variable> MEASUREMENTS =
      List.of(
          Variable.measurement(MELT_TEMPERATURE, "Cel"),
          Variable.measurement(INJECTION_PRESSURE, "bar"),
          Variable.measurement(MOULD_TEMPERATURE, "Cel"),
          Variable.measurement(CYCLE_TIME, "s"),
          Variable.measurement(POWER, "kW"),
          Variable.measurement(ENERGY, "kW.h"));

  /** Every variable of a moulding machine, measurements first. */
  public static final List<Variable> VARIABLES = withStateAndCounters(MEASUREMENTS);

  private final double cycleMs;
  private double melt = 25;
  private double mould = 25;
  private double energyKwh;
  private long lastSample = Long.MIN_VALUE;
  private long lastShot = Long.MIN_VALUE;
  private double cycleSeconds;

  public MouldingMachine(MachineSetup setup) {
    super(setup, 1_000);
    this.cycleMs = setup.machine().idealCycleMs();
  }

  @Override
  protected List<Variable> measurements() {
    return MEASUREMENTS;
  }

  @Override
  protected void onPart(ScheduleEvent.PartFinished part) {
    if (lastShot != Long.MIN_VALUE && state() == MachineState.PRODUCING) {
      cycleSeconds = (part.ts() - lastShot) / 1000.0;
    }
    lastShot = part.ts();
  }

  @Override
  protected void sample(long ts, List<NodeUpdate> out) {
    MachineState s = state();
    boolean producing = s == MachineState.PRODUCING;
    boolean heated = s != MachineState.DOWN && s != MachineState.PLANNED_STOP;
    melt += ((heated ? 230 : 25) - melt) * 0.05 + noise.nextDouble(-0.3, 0.3);
    mould += ((producing ? 55 : heated ? 40 : 25) - mould) * 0.02 + noise.nextDouble(-0.1, 0.1);
    double phase = ((ts - stateSince()) % (long) cycleMs) / cycleMs;
    double pressure =
        producing && phase < 0.25 ? 1200 * Math.sin(Math.PI * phase / 0.25) : heated ? 5 : 0;
    double power =
        producing
            ? 28 + 10 * (phase < 0.25 ? 1 : 0)
            : heated ? 9 : s == MachineState.DOWN ? 0.4 : 1.2;
    power += noise.nextDouble(-0.3, 0.3);
    if (lastSample != Long.MIN_VALUE) {
      energyKwh += Math.max(0, power) * (ts - lastSample) / 3_600_000.0;
    }
    lastSample = ts;
    out.add(new NodeUpdate(MELT_TEMPERATURE, round(melt, 1), ts));
    out.add(new NodeUpdate(INJECTION_PRESSURE, round(Math.max(0, pressure), 1), ts));
    out.add(new NodeUpdate(MOULD_TEMPERATURE, round(mould, 1), ts));
    out.add(new NodeUpdate(CYCLE_TIME, round(cycleSeconds, 2), ts));
    out.add(new NodeUpdate(POWER, round(Math.max(0, power), 2), ts));
    out.add(new NodeUpdate(ENERGY, round(energyKwh, 2), ts));
  }
}
