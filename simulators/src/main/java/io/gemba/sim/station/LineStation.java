package io.gemba.sim.station;

import io.gemba.model.asset.Machine;
import io.gemba.model.calendar.ShiftCalendar;
import io.gemba.sim.cnc.NodeUpdate;
import io.gemba.sim.machine.MachineSetup;
import io.gemba.sim.machine.SimulatedMachine;
import io.gemba.sim.machine.Variable;
import java.util.List;

/**
 * A simulated line station or conveyor section, as many PLC gateways report them: belt speed, drive
 * motor current and temperature, with state and part counters. While producing the belt runs at its
 * set speed and the motor draws current with every part on it; in setup it crawls; otherwise it
 * stands. Sampled every simulated second and published as JSON over MQTT by {@link
 * StationPublisher}.
 */
public final class LineStation extends SimulatedMachine {

  public static final String BELT_SPEED = "Belt.Speed";
  public static final String MOTOR_CURRENT = "Motor.Current";
  public static final String MOTOR_TEMPERATURE = "Motor.Temperature";

  private static final List<Variable> MEASUREMENTS =
      List.of(
          Variable.measurement(BELT_SPEED, "m/min"),
          Variable.measurement(MOTOR_CURRENT, "A"),
          Variable.measurement(MOTOR_TEMPERATURE, "Cel"));

  /** Every variable of a station, measurements first. */
  public static final List<Variable> VARIABLES = withStateAndCounters(MEASUREMENTS);

  private double motorTemperature = 28.0;

  public LineStation(Machine machine, ShiftCalendar calendar, long seed, long origin) {
    this(MachineSetup.of(machine, calendar, seed, origin));
  }

  public LineStation(MachineSetup setup) {
    super(setup, 1_000);
  }

  @Override
  protected List<Variable> measurements() {
    return MEASUREMENTS;
  }

  @Override
  protected void sample(long ts, List<NodeUpdate> out) {
    double speed;
    double current;
    double target;
    switch (state()) {
      case PRODUCING -> {
        speed = 18 + noise.nextDouble(-0.3, 0.3);
        current = 4.2 + noise.nextDouble(-0.25, 0.25);
        target = 52;
      }
      case SETUP -> {
        speed = 2 + noise.nextDouble(-0.1, 0.1);
        current = 1.1 + noise.nextDouble(-0.05, 0.05);
        target = 36;
      }
      default -> {
        speed = 0;
        current = 0.05 + noise.nextDouble(0, 0.03);
        target = 28;
      }
    }
    motorTemperature += (target - motorTemperature) * 0.005 + noise.nextDouble(-0.04, 0.04);
    out.add(new NodeUpdate(BELT_SPEED, round(speed, 2), ts));
    out.add(new NodeUpdate(MOTOR_CURRENT, round(current, 3), ts));
    out.add(new NodeUpdate(MOTOR_TEMPERATURE, round(motorTemperature, 2), ts));
  }
}
