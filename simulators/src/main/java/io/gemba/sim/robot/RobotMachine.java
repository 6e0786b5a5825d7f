package io.gemba.sim.robot;

import io.gemba.model.asset.Machine;
import io.gemba.model.asset.MachineState;
import io.gemba.model.calendar.ShiftCalendar;
import io.gemba.sim.cnc.NodeUpdate;
import io.gemba.sim.machine.MachineSetup;
import io.gemba.sim.machine.SimulatedMachine;
import io.gemba.sim.machine.Variable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A simulated six-axis industrial robot; its variables follow the spirit of OPC 40010 (robotics):
 * per axis the motor torque and temperature, the tool centre point's speed, state and cycle (part)
 * counters. While producing, every axis follows a periodic motion profile with the ideal cycle
 * time, so torques swing and the TCP moves and pauses; when idle or in a planned stop the axes hold
 * their pose against gravity; when down the drives are off. Signals are sampled every 500 ms.
 */
public final class RobotMachine extends SimulatedMachine {

  public static final int AXES = 6;
  public static final String TCP_SPEED = "Tcp.Speed";

  /** Peak torque per axis in Nm while moving; the base and shoulder carry the most. */
  private static final double[] PEAK = {420, 610, 380, 95, 70, 38};

  /** Torque per axis needed to hold the pose. */
  private static final double[] HOLD = {0, 180, 120, 12, 8, 2};

  private static final List<Variable> MEASUREMENTS = measurementList();

  /** Every variable of a robot, measurements first. */
  public static final List<Variable> VARIABLES = withStateAndCounters(MEASUREMENTS);

  private final double cycleMs;
  private final double[] temperature = new double[AXES];

  public RobotMachine(Machine machine, ShiftCalendar calendar, long seed, long origin) {
    this(MachineSetup.of(machine, calendar, seed, origin));
  }

  public RobotMachine(MachineSetup setup) {
    super(setup, 500);
    this.cycleMs = setup.machine().idealCycleMs();
    Arrays.fill(temperature, 25.0);
  }

  /** Variable name of an axis's torque, axes counted from 1. */
  public static String torque(int axis) {
    return "Axis" + axis + ".Torque";
  }

  /** Variable name of an axis's motor temperature, axes counted from 1. */
  public static String temperature(int axis) {
    return "Axis" + axis + ".Temperature";
  }

  private static List<Variable> measurementList() {
    List<Variable> list = new ArrayList<>();
    for (int axis = 1; axis <= AXES; axis++) {
      list.add(Variable.measurement(torque(axis), "N.m"));
      list.add(Variable.measurement(temperature(axis), "Cel"));
    }
    list.add(Variable.measurement(TCP_SPEED, "mm/s"));
    return List.copyOf(list);
  }

  @Override
  protected List<Variable> measurements() {
    return MEASUREMENTS;
  }

  @Override
  protected void sample(long ts, List<NodeUpdate> out) {
    double phase = ((ts - stateSince()) % (long) cycleMs) / cycleMs;
    boolean moving = false;
    double tcp = 0;
    switch (state()) {
      case PRODUCING -> {
        // Three quarters of a cycle in motion, a quarter at the fixture.
        moving = phase < 0.75;
        tcp = moving ? 900 + 600 * Math.sin(Math.PI * phase / 0.75) + noise.nextDouble(-20, 20) : 0;
      }
      case SETUP -> tcp = 80 + noise.nextDouble(-5, 5);
      default -> tcp = 0;
    }
    boolean powered = state() != MachineState.DOWN;
    for (int a = 0; a < AXES; a++) {
      double torque;
      if (!powered) {
        torque = 0;
      } else if (moving) {
        torque =
            HOLD[a]
                + PEAK[a] * Math.sin(2 * Math.PI * (phase + a / 12.0))
                + noise.nextDouble(-0.02, 0.02) * PEAK[a];
      } else {
        torque = HOLD[a] + noise.nextDouble(-0.01, 0.01) * PEAK[a];
      }
      double target = 25 + (powered ? 6 : 0) + (moving ? 0.04 * Math.abs(torque) : 0);
      temperature[a] += (target - temperature[a]) * 0.01 + noise.nextDouble(-0.03, 0.03);
      out.add(new NodeUpdate(torque(a + 1), round(torque, 1), ts));
      out.add(new NodeUpdate(temperature(a + 1), round(temperature[a], 2), ts));
    }
    out.add(new NodeUpdate(TCP_SPEED, round(Math.max(0, tcp), 1), ts));
  }
}
