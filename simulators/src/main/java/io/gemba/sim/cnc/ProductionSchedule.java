package io.gemba.sim.cnc;

import io.gemba.model.asset.MachineState;
import io.gemba.model.calendar.ShiftCalendar;
import io.gemba.model.calendar.TimeInterval;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded, deterministic production schedule of one machine: producing runs with parts at cycle
 * times somewhat above the ideal, interrupted by idle time, breakdowns and setups, and planned
 * stops wherever the shift calendar plans no production. The same seed, origin, calendar and ideal
 * cycle time give the same schedule.
 *
 * <p>State changes are at least {@link #MIN_SEGMENT_MS} apart, and parts at least one ideal cycle,
 * so a client that samples the machine's nodes at up to a tenth of that interval sees every change.
 */
public final class ProductionSchedule {

  /** Shortest time between two state changes. */
  public static final long MIN_SEGMENT_MS = 5_000;

  private static final long LOOKAHEAD_MS = 24 * 3_600_000L;

  private final SplittableRandom random;
  private final ShiftCalendar calendar;
  private final long idealCycleMs;
  private final double goodRatio;
  private final Deque<ScheduleEvent> pending = new ArrayDeque<>();
  private long generatedUntil;
  private MachineState current = MachineState.UNKNOWN;

  public ProductionSchedule(long seed, long origin, ShiftCalendar calendar, double idealCycleMs) {
    this.random = new SplittableRandom(seed);
    this.calendar = calendar;
    this.idealCycleMs = Math.round(idealCycleMs);
    this.goodRatio = 0.95;
    this.generatedUntil = origin;
  }

  /** Removes and returns every event with {@code ts <= until}, in time order. */
  public List<ScheduleEvent> takeUntil(long until) {
    while (generatedUntil <= until) {
      generateSegment();
    }
    List<ScheduleEvent> out = new ArrayList<>();
    while (!pending.isEmpty() && pending.peekFirst().ts() <= until) {
      out.add(pending.pollFirst());
    }
    return out;
  }

  private void generateSegment() {
    long start = generatedUntil;
    List<TimeInterval> planned = calendar.plannedIntervals(start, start + LOOKAHEAD_MS);
    if (planned.isEmpty() || planned.get(0).start() > start) {
      long end = planned.isEmpty() ? start + LOOKAHEAD_MS : planned.get(0).start();
      enter(start, MachineState.PLANNED_STOP);
      generatedUntil = end;
      return;
    }
    long plannedEnd = planned.get(0).end();
    MachineState next = nextState();
    long end = Math.min(start + duration(next), plannedEnd);
    if (plannedEnd - end < MIN_SEGMENT_MS) {
      // A remainder too short to sample reliably joins this segment.
      end = plannedEnd;
    }
    enter(start, next);
    if (next == MachineState.PRODUCING) {
      addParts(start, end);
    }
    generatedUntil = end;
  }

  private void enter(long ts, MachineState state) {
    if (state != current) {
      pending.addLast(new ScheduleEvent.StateEntered(ts, state));
      current = state;
    }
  }

  private MachineState nextState() {
    if (current != MachineState.PRODUCING) {
      return MachineState.PRODUCING;
    }
    double draw = random.nextDouble();
    if (draw < 0.4) {
      return MachineState.IDLE;
    }
    return draw < 0.75 ? MachineState.DOWN : MachineState.SETUP;
  }

  private long duration(MachineState state) {
    long seconds =
        switch (state) {
          case PRODUCING -> 40 + random.nextInt(141);
          case IDLE -> 5 + random.nextInt(16);
          case DOWN -> 10 + random.nextInt(51);
          case SETUP -> 15 + random.nextInt(31);
          default -> 10;
        };
    return Math.max(MIN_SEGMENT_MS, seconds * 1000);
  }

  /** Parts finish at the end of each full cycle; a cycle cut short by a stop yields no part. */
  private void addParts(long start, long end) {
    long t = start;
    while (true) {
      long cycle = idealCycleMs + Math.round(idealCycleMs * 0.25 * random.nextDouble());
      if (t + cycle >= end) {
        return;
      }
      t += cycle;
      pending.addLast(new ScheduleEvent.PartFinished(t, random.nextDouble() < goodRatio));
    }
  }
}
