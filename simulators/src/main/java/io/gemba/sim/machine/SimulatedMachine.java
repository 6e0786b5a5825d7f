package io.gemba.sim.machine;

import io.gemba.model.asset.Machine;
import io.gemba.model.asset.MachineState;
import io.gemba.model.calendar.ShiftCalendar;
import io.gemba.sim.cnc.CncState;
import io.gemba.sim.cnc.NodeUpdate;
import io.gemba.sim.cnc.ProductionSchedule;
import io.gemba.sim.cnc.ScheduleEvent;
import io.gemba.sim.truth.GroundTruth;
import io.gemba.sim.truth.InjectedFault;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A simulated machine of any kind: plays its seeded {@link ProductionSchedule} (states, parts,
 * rejects, planned stops), records it as ground truth, and reports state and part counters the same
 * way for every kind. Subclasses add the kind's measurements, sampled every {@link
 * #samplePeriodMs()} of simulated time from the current state.
 */
public abstract class SimulatedMachine {

  public static final String STATE = "Machine.State";
  public static final String PARTS_TOTAL = "Parts.Total";
  public static final String PARTS_GOOD = "Parts.Good";

  private final Machine machine;
  private final ProductionSchedule schedule;
  private final GroundTruth truth;
  private final long samplePeriodMs;

  /** Measurement noise; seeded apart from the schedule so both are reproducible. */
  protected final SplittableRandom noise;

  private MachineState state = MachineState.UNKNOWN;
  private long stateSince;
  private long total;
  private long good;
  private long nextSample;
  private final FaultInjector faults;

  protected SimulatedMachine(
      Machine machine, ShiftCalendar calendar, long seed, long origin, long samplePeriodMs) {
    this.machine = machine;
    this.schedule = new ProductionSchedule(seed, origin, calendar, machine.idealCycleMs());
    this.truth = new GroundTruth(machine, calendar, origin);
    this.noise = new SplittableRandom(seed * 31 + 7);
    this.samplePeriodMs = samplePeriodMs;
    this.nextSample = origin;
    this.stateSince = origin;
    this.faults = FaultInjector.of(machine.id(), machine.faults(), measurements(), origin);
  }

  /** The faults injected into this machine, with their exact bounds. */
  public final List<InjectedFault> faults() {
    return faults.faults();
  }

  public final Machine machine() {
    return machine;
  }

  public final GroundTruth truth() {
    return truth;
  }

  public final long samplePeriodMs() {
    return samplePeriodMs;
  }

  /** The kind's measurements, in a stable order; called from the constructor, so a constant. */
  protected abstract List<Variable> measurements();

  /** Appends one sample of every measurement at {@code ts}. */
  protected abstract void sample(long ts, List<NodeUpdate> out);

  /** Every variable: the measurements, then state and the two part counters. */
  public final List<Variable> variables() {
    return withStateAndCounters(measurements());
  }

  /** {@code measurements} followed by the state and part counter variables every kind has. */
  public static List<Variable> withStateAndCounters(List<Variable> measurements) {
    List<Variable> all = new ArrayList<>(measurements);
    all.add(new Variable(STATE, Variable.Type.STATE, ""));
    all.add(new Variable(PARTS_TOTAL, Variable.Type.COUNTER, ""));
    all.add(new Variable(PARTS_GOOD, Variable.Type.COUNTER, ""));
    return List.copyOf(all);
  }

  /** The variables' values at the origin, before anything happened: counters at zero. */
  public List<NodeUpdate> initialValues(long origin) {
    return List.of(new NodeUpdate(PARTS_TOTAL, 0L, origin), new NodeUpdate(PARTS_GOOD, 0L, origin));
  }

  /** Plays the schedule up to {@code now} and returns the variable updates in time order. */
  public final List<NodeUpdate> advanceTo(long now) {
    List<NodeUpdate> out = new ArrayList<>();
    for (ScheduleEvent event : schedule.takeUntil(now)) {
      while (nextSample < event.ts()) {
        sample(nextSample, out);
        nextSample += samplePeriodMs;
      }
      apply(event, out);
    }
    while (nextSample <= now) {
      sample(nextSample, out);
      nextSample += samplePeriodMs;
    }
    return faults.apply(out, samplePeriodMs);
  }

  private void apply(ScheduleEvent event, List<NodeUpdate> out) {
    truth.record(event);
    if (event instanceof ScheduleEvent.StateEntered entered) {
      state = entered.state();
      stateSince = entered.ts();
      out.add(new NodeUpdate(STATE, CncState.code(state), entered.ts()));
    } else if (event instanceof ScheduleEvent.PartFinished part) {
      total++;
      out.add(new NodeUpdate(PARTS_TOTAL, total, part.ts()));
      if (part.good()) {
        good++;
        out.add(new NodeUpdate(PARTS_GOOD, good, part.ts()));
      }
      onPart(part);
    }
  }

  /** Called for every finished part, after the counters; for kinds whose signals follow parts. */
  protected void onPart(ScheduleEvent.PartFinished part) {}

  /** The state the machine is in. */
  protected final MachineState state() {
    return state;
  }

  /** When the current state began (simulated time). */
  protected final long stateSince() {
    return stateSince;
  }

  protected final long partsTotal() {
    return total;
  }

  protected static double round(double value, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }
}
