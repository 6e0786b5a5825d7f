package io.gemba.sim.machine;

import io.gemba.model.asset.Machine;
import io.gemba.model.asset.MachineState;
import io.gemba.sim.cnc.CncState;
import io.gemba.sim.cnc.NodeUpdate;
import io.gemba.sim.cnc.Schedule;
import io.gemba.sim.cnc.ScheduleEvent;
import io.gemba.sim.truth.GroundTruth;
import io.gemba.sim.truth.InjectedFault;
import io.gemba.sim.truth.WallClockCalendar;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A simulated machine of any kind: plays its {@link Schedule} (states, parts, rejects, planned
 * stops), records it as ground truth, and reports state and part counters the same way for every
 * kind. Subclasses add the kind's measurements, sampled every {@link #samplePeriodMs()} of
 * simulated time from the current state.
 */
public abstract class SimulatedMachine {

  public static final String STATE = "Machine.State";
  public static final String PARTS_TOTAL = "Parts.Total";
  public static final String PARTS_GOOD = "Parts.Good";

  /**
   * Why the machine is not producing, as text ({@link io.gemba.model.asset.StopReason}); empty
   * while producing.
   */
  public static final String STOP_REASON = "Machine.StopReason";

  private final Machine machine;
  private final Schedule schedule;
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

  protected SimulatedMachine(MachineSetup setup, long samplePeriodMs) {
    this.machine = setup.machine();
    this.schedule = setup.schedule();
    // The truth reads the calendar's definition with code of its own, not the platform's.
    this.truth =
        new GroundTruth(
            machine,
            new WallClockCalendar(
                setup.calendar().zone(),
                setup.calendar().shifts(),
                setup.calendar().plannedStops()),
            setup.origin(),
            setup.oee());
    this.noise = new SplittableRandom(setup.seed() * 31 + 7);
    this.samplePeriodMs = samplePeriodMs;
    this.nextSample = setup.origin();
    this.stateSince = setup.origin();
    this.faults = FaultInjector.of(machine.id(), machine.faults(), measurements(), setup.origin());
    this.faults.addRandom(setup.randomFaults(), machine.kind(), setup.seed());
  }

  /**
   * The faults injected into this machine so far, with their exact bounds: the scripted ones from
   * the start, random ones from a minute of simulated time before they begin.
   */
  public final List<InjectedFault> faults() {
    return faults.faults();
  }

  /** Faults placed since the last call, for the ground-truth log. */
  public final List<InjectedFault> drainPlacedFaults() {
    return faults.drainPlaced();
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

  /**
   * Every variable: the measurements, then state, stop reason and the two part counters. Kinds with
   * variables of their own beyond these add them after.
   */
  public List<Variable> variables() {
    return withStateAndCounters(measurements());
  }

  /**
   * {@code measurements} followed by the state, stop reason and part counter variables every kind
   * has.
   */
  public static List<Variable> withStateAndCounters(List<Variable> measurements) {
    List<Variable> all = new ArrayList<>(measurements);
    all.add(new Variable(STATE, Variable.Type.STATE, ""));
    all.add(new Variable(STOP_REASON, Variable.Type.TEXT, ""));
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
    faults.placeUntil(now + FaultInjector.PLACE_AHEAD_MS);
    return faults.apply(out, samplePeriodMs);
  }

  private void apply(ScheduleEvent event, List<NodeUpdate> out) {
    truth.record(event);
    if (event instanceof ScheduleEvent.StateEntered entered) {
      state = entered.state();
      stateSince = entered.ts();
      out.add(new NodeUpdate(STATE, CncState.code(state), entered.ts()));
      String reason = entered.reason() == null ? "" : entered.reason().wireName();
      out.add(new NodeUpdate(STOP_REASON, reason, entered.ts()));
      onState(entered, out);
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

  /** Called for every state entered, after state and reason; may add updates of its own. */
  protected void onState(ScheduleEvent.StateEntered entered, List<NodeUpdate> out) {}

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
