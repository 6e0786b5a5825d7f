package io.gemba.sim.cnc;

import io.gemba.model.asset.Machine;
import io.gemba.model.asset.MachineState;
import io.gemba.model.calendar.ShiftCalendar;
import io.gemba.sim.truth.GroundTruth;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A simulated CNC machine: pure Java, with no knowledge of OPC UA. It plays its {@link
 * ProductionSchedule} and derives plausible signals from its state: the spindle turns and is loaded
 * while producing, slowly during setup, not at all otherwise; the machine warms up while producing
 * and cools down when stopped. Signals are sampled once per simulated second.
 */
public final class CncMachine {

  public static final String SPINDLE_SPEED = "Spindle.Speed";
  public static final String SPINDLE_LOAD = "Spindle.Load";
  public static final String TEMPERATURE = "Machine.Temperature";
  public static final String STATE = "Machine.State";
  public static final String PARTS_TOTAL = "Parts.Total";
  public static final String PARTS_GOOD = "Parts.Good";

  /** Every variable the machine exposes, in a stable order. */
  public static final List<String> VARIABLES =
      List.of(SPINDLE_SPEED, SPINDLE_LOAD, TEMPERATURE, STATE, PARTS_TOTAL, PARTS_GOOD);

  private static final long SAMPLE_MS = 1_000;

  private final Machine machine;
  private final ProductionSchedule schedule;
  private final GroundTruth truth;
  private final SplittableRandom noise;
  private MachineState state = MachineState.UNKNOWN;
  private long total;
  private long good;
  private double temperature = 24.0;
  private long nextSample;

  public CncMachine(Machine machine, ShiftCalendar calendar, long seed, long origin) {
    this.machine = machine;
    this.schedule = new ProductionSchedule(seed, origin, calendar, machine.idealCycleMs());
    this.truth = new GroundTruth(machine, calendar, origin);
    this.noise = new SplittableRandom(seed * 31 + 7);
    this.nextSample = origin;
  }

  public Machine machine() {
    return machine;
  }

  public GroundTruth truth() {
    return truth;
  }

  /** The variables' values at the origin, before anything happened: counters at zero. */
  public List<NodeUpdate> initialValues(long origin) {
    return List.of(new NodeUpdate(PARTS_TOTAL, 0L, origin), new NodeUpdate(PARTS_GOOD, 0L, origin));
  }

  /** Plays the schedule up to {@code now} and returns the variable updates in time order. */
  public List<NodeUpdate> advanceTo(long now) {
    List<NodeUpdate> out = new ArrayList<>();
    for (ScheduleEvent event : schedule.takeUntil(now)) {
      while (nextSample < event.ts()) {
        sample(nextSample, out);
        nextSample += SAMPLE_MS;
      }
      apply(event, out);
    }
    while (nextSample <= now) {
      sample(nextSample, out);
      nextSample += SAMPLE_MS;
    }
    return out;
  }

  private void apply(ScheduleEvent event, List<NodeUpdate> out) {
    truth.record(event);
    if (event instanceof ScheduleEvent.StateEntered entered) {
      state = entered.state();
      out.add(new NodeUpdate(STATE, CncState.code(state), entered.ts()));
    } else if (event instanceof ScheduleEvent.PartFinished part) {
      total++;
      out.add(new NodeUpdate(PARTS_TOTAL, total, part.ts()));
      if (part.good()) {
        good++;
        out.add(new NodeUpdate(PARTS_GOOD, good, part.ts()));
      }
    }
  }

  private void sample(long ts, List<NodeUpdate> out) {
    double speed;
    double load;
    double target;
    switch (state) {
      case PRODUCING -> {
        speed = 12_000 + noise.nextDouble(-60, 60);
        load = 55 + noise.nextDouble(-6, 6);
        target = 46;
      }
      case SETUP -> {
        speed = 1_500 + noise.nextDouble(-30, 30);
        load = 8 + noise.nextDouble(-1, 1);
        target = 32;
      }
      default -> {
        speed = 0;
        load = 0;
        target = 24;
      }
    }
    temperature += (target - temperature) * 0.01 + noise.nextDouble(-0.05, 0.05);
    out.add(new NodeUpdate(SPINDLE_SPEED, round(speed, 1), ts));
    out.add(new NodeUpdate(SPINDLE_LOAD, round(load, 2), ts));
    out.add(new NodeUpdate(TEMPERATURE, round(temperature, 2), ts));
  }

  private static double round(double value, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }
}
