package io.gemba.sim.cnc;

import io.gemba.model.asset.Machine;
import io.gemba.model.asset.StopReason;
import io.gemba.model.calendar.ShiftCalendar;
import io.gemba.sim.machine.MachineSetup;
import io.gemba.sim.machine.SimulatedMachine;
import io.gemba.sim.machine.Variable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A simulated CNC machine tool; its variables follow the spirit of the OPC 40501 machine-tool
 * companion specification (spindle, feed, coolant, tool, production). While producing, the spindle
 * turns and is loaded, the feed moves, the coolant and the machine warm up and the tool wears with
 * every part; during setup the spindle turns slowly; otherwise everything rests and cools down. A
 * tool change (wear reset) happens when the tool reaches 100 %. Signals are sampled once per
 * simulated second.
 */
public final class CncMachine extends SimulatedMachine {

  public static final String SPINDLE_SPEED = "Spindle.Speed";
  public static final String SPINDLE_LOAD = "Spindle.Load";
  public static final String SPINDLE_POWER = "Spindle.Power";
  public static final String FEED_RATE = "Feed.Rate";
  public static final String COOLANT_TEMPERATURE = "Coolant.Temperature";
  public static final String VIBRATION = "Vibration.Rms";
  public static final String TOOL_WEAR = "Tool.Wear";
  public static final String TEMPERATURE = "Machine.Temperature";

  /** The NC program loaded; a changeover loads the next of the machine's programs. */
  public static final String PROGRAM = "Program.Name";

  public static final String STATE = SimulatedMachine.STATE;
  public static final String PARTS_TOTAL = SimulatedMachine.PARTS_TOTAL;
  public static final String PARTS_GOOD = SimulatedMachine.PARTS_GOOD;

  private static final List<Variable> MEASUREMENTS =
      List.of(
          Variable.measurement(SPINDLE_SPEED, "/min"),
          Variable.measurement(SPINDLE_LOAD, "%"),
          Variable.measurement(SPINDLE_POWER, "kW"),
          Variable.measurement(FEED_RATE, "mm/min"),
          Variable.measurement(COOLANT_TEMPERATURE, "Cel"),
          Variable.measurement(VIBRATION, "mm/s"),
          Variable.measurement(TOOL_WEAR, "%"),
          Variable.measurement(TEMPERATURE, "Cel"));

  /** Every variable of a CNC machine, measurements first. */
  public static final List<Variable> VARIABLES = withProgram(withStateAndCounters(MEASUREMENTS));

  /** The programs a machine cycles through, one product each. */
  private static final int PROGRAMS = 4;

  /** Parts a tool lasts. */
  private static final int TOOL_LIFE_PARTS = 400;

  private double temperature = 24.0;
  private double coolant = 22.0;
  private int partsOnTool;
  private int program;

  public CncMachine(Machine machine, ShiftCalendar calendar, long seed, long origin) {
    this(MachineSetup.of(machine, calendar, seed, origin));
  }

  public CncMachine(MachineSetup setup) {
    super(setup, 1_000);
  }

  @Override
  public List<Variable> variables() {
    return VARIABLES;
  }

  @Override
  protected List<Variable> measurements() {
    return MEASUREMENTS;
  }

  private static List<Variable> withProgram(List<Variable> variables) {
    List<Variable> all = new ArrayList<>(variables);
    all.add(new Variable(PROGRAM, Variable.Type.TEXT, ""));
    return List.copyOf(all);
  }

  /** The name of the machine's {@code index}-th program, as a controller shows it. */
  public static String programName(int index) {
    return String.format(Locale.ROOT, "O%04d", 1001 + index);
  }

  @Override
  public List<NodeUpdate> initialValues(long origin) {
    List<NodeUpdate> values = new ArrayList<>(super.initialValues(origin));
    values.add(new NodeUpdate(PROGRAM, programName(0), origin));
    return values;
  }

  @Override
  protected void onState(ScheduleEvent.StateEntered entered, List<NodeUpdate> out) {
    if (entered.reason() == StopReason.CHANGEOVER) {
      // A changeover loads the next program and puts in fresh tools for it.
      partsOnTool = 0;
      program = (program + 1) % PROGRAMS;
      out.add(new NodeUpdate(PROGRAM, programName(program), entered.ts()));
    }
  }

  @Override
  protected void onPart(ScheduleEvent.PartFinished part) {
    partsOnTool = (partsOnTool + 1) % TOOL_LIFE_PARTS;
  }

  @Override
  protected void sample(long ts, List<NodeUpdate> out) {
    double speed;
    double load;
    double feed;
    double target;
    switch (state()) {
      case PRODUCING -> {
        speed = 12_000 + noise.nextDouble(-60, 60);
        load = 55 + noise.nextDouble(-6, 6);
        feed = 2_400 + noise.nextDouble(-40, 40);
        target = 46;
      }
      case SETUP -> {
        speed = 1_500 + noise.nextDouble(-30, 30);
        load = 8 + noise.nextDouble(-1, 1);
        feed = 200 + noise.nextDouble(-10, 10);
        target = 32;
      }
      default -> {
        speed = 0;
        load = 0;
        feed = 0;
        target = 24;
      }
    }
    double wear = 100.0 * partsOnTool / TOOL_LIFE_PARTS;
    temperature += (target - temperature) * 0.01 + noise.nextDouble(-0.05, 0.05);
    coolant += ((speed > 0 ? 27 : 22) - coolant) * 0.02 + noise.nextDouble(-0.03, 0.03);
    // A worn tool vibrates more; a resting spindle only shows floor noise.
    double vibration =
        speed > 0 ? 1.2 + 1.6 * wear / 100 + noise.nextDouble(0, 0.2) : noise.nextDouble(0, 0.05);
    double power = 0.0011 * speed * (0.2 + load / 100) + noise.nextDouble(0, 0.1);
    out.add(new NodeUpdate(SPINDLE_SPEED, round(speed, 1), ts));
    out.add(new NodeUpdate(SPINDLE_LOAD, round(load, 2), ts));
    out.add(new NodeUpdate(SPINDLE_POWER, round(speed > 0 ? power : 0, 2), ts));
    out.add(new NodeUpdate(FEED_RATE, round(feed, 1), ts));
    out.add(new NodeUpdate(COOLANT_TEMPERATURE, round(coolant, 2), ts));
    out.add(new NodeUpdate(VIBRATION, round(vibration, 3), ts));
    out.add(new NodeUpdate(TOOL_WEAR, round(wear, 2), ts));
    out.add(new NodeUpdate(TEMPERATURE, round(temperature, 2), ts));
  }
}
