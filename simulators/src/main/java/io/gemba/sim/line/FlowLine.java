package io.gemba.sim.line;

import io.gemba.model.asset.MachineState;
import io.gemba.model.asset.StopReason;
import io.gemba.sim.cnc.ProductionSchedule;
import io.gemba.sim.cnc.Schedule;
import io.gemba.sim.cnc.ScheduleEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The machines of a flow line, played together: each takes a part from the buffer before it, works
 * it for one cycle, and passes it to the buffer after it; the first draws from an endless supply
 * and the last ships. Each machine's own schedule (breakdowns, micro-stops, changeovers, waits,
 * planned stops) says when it could work; the flow decides when it does:
 *
 * <ul>
 *   <li>a machine that could work but has no part is {@link MachineState#IDLE}, {@link
 *       StopReason#STARVED};
 *   <li>a machine holding a finished part that the full buffer after it cannot take is {@link
 *       MachineState#IDLE}, {@link StopReason#BLOCKED};
 *   <li>a cycle interrupted by a stop is resumed where it stopped; a reject leaves the line at the
 *       machine that made it.
 * </ul>
 *
 * The play is a discrete-event simulation over the machines' own schedules, so it is exact and as
 * deterministic as they are: the same seeds give the same line whichever machine asks first and in
 * whatever steps. Starved and blocked intervals follow the parts and can be shorter than {@link
 * ProductionSchedule#MIN_SEGMENT_MS}.
 */
public final class FlowLine {

  private static final long NONE = Long.MIN_VALUE;

  private final int capacity;
  private final List<Station> stations = new ArrayList<>();
  private long doneUntil;

  /**
   * @param own each machine's own schedule, built without parts, in line order
   * @param buffer parts each buffer between two machines holds
   * @param origin simulated start; nothing happens before it
   */
  public FlowLine(List<ProductionSchedule> own, int buffer, long origin) {
    this.capacity = buffer;
    this.doneUntil = origin - 1;
    for (int i = 0; i < own.size(); i++) {
      stations.add(new Station(i, own.get(i)));
    }
  }

  /** The schedule the machine at {@code index} plays. */
  public Schedule station(int index) {
    return stations.get(index);
  }

  /** Parts in the buffer before the machine at {@code index}, as of the last step played. */
  public synchronized int buffered(int index) {
    return stations.get(index).waiting;
  }

  private final class Station implements Schedule {
    final int index;
    final ProductionSchedule own;
    final Deque<ScheduleEvent> ownAhead = new ArrayDeque<>();
    final Deque<ScheduleEvent> out = new ArrayDeque<>();
    MachineState ownState = MachineState.UNKNOWN;
    StopReason ownReason;
    int waiting;
    boolean holding;
    boolean finished;
    long cycleEnd = NONE;
    long remaining;
    MachineState shown = MachineState.UNKNOWN;
    StopReason shownReason;

    Station(int index, ProductionSchedule own) {
      this.index = index;
      this.own = own;
    }

    @Override
    public List<ScheduleEvent> takeUntil(long until) {
      synchronized (FlowLine.this) {
        advance(until);
        List<ScheduleEvent> taken = new ArrayList<>();
        while (!out.isEmpty() && out.peekFirst().ts() <= until) {
          taken.add(out.pollFirst());
        }
        return taken;
      }
    }

    boolean canWork() {
      return ownState == MachineState.PRODUCING;
    }

    void show(long t) {
      MachineState state;
      StopReason reason;
      if (!canWork()) {
        state = ownState;
        reason = ownReason;
      } else if (finished) {
        state = MachineState.IDLE;
        reason = StopReason.BLOCKED;
      } else if (!holding) {
        state = MachineState.IDLE;
        reason = StopReason.STARVED;
      } else {
        state = MachineState.PRODUCING;
        reason = null;
      }
      if (state != shown || reason != shownReason) {
        out.addLast(new ScheduleEvent.StateEntered(t, state, reason));
        shown = state;
        shownReason = reason;
      }
    }
  }

  private void advance(long until) {
    if (until <= doneUntil) {
      return;
    }
    for (Station s : stations) {
      s.ownAhead.addAll(s.own.takeUntil(until));
    }
    while (true) {
      long t = Long.MAX_VALUE;
      for (Station s : stations) {
        if (!s.ownAhead.isEmpty()) {
          t = Math.min(t, s.ownAhead.peekFirst().ts());
        }
        if (s.cycleEnd != NONE) {
          t = Math.min(t, s.cycleEnd);
        }
      }
      if (t > until) {
        break;
      }
      step(t);
    }
    doneUntil = until;
  }

  /** Plays instant {@code t}: cycles that end, then own state changes, then the parts' moves. */
  private void step(long t) {
    for (Station s : stations) {
      if (s.cycleEnd == t) {
        s.cycleEnd = NONE;
        boolean good = s.own.drawGood();
        s.out.addLast(new ScheduleEvent.PartFinished(t, good));
        if (good) {
          s.finished = true;
        } else {
          s.holding = false;
        }
      }
    }
    for (Station s : stations) {
      while (!s.ownAhead.isEmpty() && s.ownAhead.peekFirst().ts() == t) {
        if (s.ownAhead.pollFirst() instanceof ScheduleEvent.StateEntered entered) {
          s.ownState = entered.state();
          s.ownReason = entered.reason();
          if (!s.canWork() && s.cycleEnd != NONE) {
            s.remaining = s.cycleEnd - t;
            s.cycleEnd = NONE;
          }
        }
      }
    }
    settle(t);
    for (Station s : stations) {
      s.show(t);
    }
  }

  /** Moves parts until nothing can move: hand-offs downstream first, so that room propagates up. */
  private void settle(long t) {
    int last = stations.size() - 1;
    boolean moved = true;
    while (moved) {
      moved = false;
      for (int i = last; i >= 0; i--) {
        Station s = stations.get(i);
        if (s.finished && (i == last || stations.get(i + 1).waiting < capacity)) {
          if (i < last) {
            stations.get(i + 1).waiting++;
          }
          s.finished = false;
          s.holding = false;
          moved = true;
        }
        if (!s.holding && s.canWork() && (i == 0 || s.waiting > 0)) {
          if (i > 0) {
            s.waiting--;
          }
          s.holding = true;
          s.remaining = s.own.drawCycleMs();
          moved = true;
        }
        if (s.holding && !s.finished && s.cycleEnd == NONE && s.canWork()) {
          s.cycleEnd = t + s.remaining;
        }
      }
    }
  }
}
