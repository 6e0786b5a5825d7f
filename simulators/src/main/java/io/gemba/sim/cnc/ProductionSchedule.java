package io.gemba.sim.cnc;

import io.gemba.model.asset.MachineState;
import io.gemba.model.asset.Production;
import io.gemba.model.asset.StopReason;
import io.gemba.model.calendar.ShiftCalendar;
import io.gemba.model.calendar.TimeInterval;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded, deterministic production schedule of one machine, played from its {@link Production}
 * behaviour: inside planned production time the machine produces until the first of its competing
 * stops comes due — a breakdown (running time to failure exponential with mean MTBF, repair
 * log-normal with mean MTTR), a micro-stop, a wait for material, or the changeover that falls due
 * after a fixed running time. Outside planned time it is in a planned stop. Parts finish at cycle
 * times somewhat above the ideal; some are rejects. The same seed, origin, calendar and behaviour
 * give the same schedule.
 *
 * <p>State changes are at least {@link #MIN_SEGMENT_MS} apart, and parts at least one ideal cycle,
 * so a client that samples the machine's nodes at up to a tenth of that interval sees every change.
 */
public final class ProductionSchedule implements Schedule {

  /** Shortest time between two state changes. */
  public static final long MIN_SEGMENT_MS = 5_000;

  private static final long LOOKAHEAD_MS = 24 * 3_600_000L;

  /** Spread of repair times: the sigma of the logarithm. */
  private static final double REPAIR_SIGMA = 0.6;

  private final SplittableRandom random;

  /** Draws cycle times and rejects, apart from the stops, so that each is reproducible alone. */
  private final SplittableRandom parts;

  private final ShiftCalendar calendar;
  private final long idealCycleMs;
  private final Production production;
  private final boolean withParts;
  private final Deque<ScheduleEvent> pending = new ArrayDeque<>();
  private long generatedUntil;
  private MachineState current = MachineState.UNKNOWN;
  private Stop nextStop;
  private long runSinceChangeover;

  /** A stop drawn at the start of a run, taken when the run ends inside planned time. */
  private record Stop(MachineState state, StopReason reason, long durationMs) {}

  /** A stop that comes due after {@code inMs} of running; {@link Long#MAX_VALUE} for never. */
  private record Due(long inMs, Stop stop) {}

  /** A machine with the default behaviour. */
  public ProductionSchedule(long seed, long origin, ShiftCalendar calendar, double idealCycleMs) {
    this(seed, origin, calendar, idealCycleMs, Production.DEFAULTS, true);
  }

  /**
   * @param withParts false when something else decides when parts finish (a flow line), so that
   *     this schedule only says when the machine could produce
   */
  public ProductionSchedule(
      long seed,
      long origin,
      ShiftCalendar calendar,
      double idealCycleMs,
      Production production,
      boolean withParts) {
    this.random = new SplittableRandom(seed);
    this.parts = random.split();
    this.calendar = calendar;
    this.idealCycleMs = Math.round(idealCycleMs);
    this.production = production;
    this.withParts = withParts;
    this.generatedUntil = origin;
  }

  @Override
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

  /** The length of the next cycle: the ideal time, somewhat slower at random. */
  public long drawCycleMs() {
    return idealCycleMs + Math.round(idealCycleMs * production.cycleSpread() * parts.nextDouble());
  }

  /** Whether the next finished part passes inspection. */
  public boolean drawGood() {
    return parts.nextDouble() >= production.rejectRate();
  }

  private void generateSegment() {
    long start = generatedUntil;
    List<TimeInterval> planned = calendar.plannedIntervals(start, start + LOOKAHEAD_MS);
    if (planned.isEmpty() || planned.get(0).start() > start) {
      long end = planned.isEmpty() ? start + LOOKAHEAD_MS : planned.get(0).start();
      enter(start, MachineState.PLANNED_STOP, StopReason.PLANNED);
      nextStop = null;
      generatedUntil = end;
      return;
    }
    long plannedEnd = planned.get(0).end();
    long end;
    if (nextStop != null) {
      enter(start, nextStop.state(), nextStop.reason());
      end = start + nextStop.durationMs();
      if (nextStop.reason() == StopReason.CHANGEOVER) {
        runSinceChangeover = 0;
      }
      nextStop = null;
    } else {
      enter(start, MachineState.PRODUCING, null);
      end = start + drawRun();
    }
    end = Math.min(end, plannedEnd);
    if (plannedEnd - end < MIN_SEGMENT_MS) {
      // A remainder too short to sample reliably joins this segment.
      end = plannedEnd;
    }
    if (end == plannedEnd) {
      // Planned time ends first: the stop drawn for this run does not happen.
      nextStop = null;
    }
    if (current == MachineState.PRODUCING) {
      runSinceChangeover += end - start;
      if (withParts) {
        addParts(start, end);
      }
    }
    generatedUntil = end;
  }

  /** Draws the competing stops and returns the run time to the first; sets {@link #nextStop}. */
  private long drawRun() {
    long toChangeover =
        production.changeoverEvery().isZero()
            ? Long.MAX_VALUE
            : production.changeoverEvery().toMillis() - runSinceChangeover;
    List<Due> candidates =
        List.of(
            new Due(
                exponential(production.mtbf()),
                new Stop(MachineState.DOWN, StopReason.BREAKDOWN, repairMs())),
            new Due(
                exponential(production.microStopEvery()),
                new Stop(
                    MachineState.DOWN,
                    StopReason.MICRO_STOP,
                    spread(production.microStopDuration(), 0.5))),
            new Due(
                exponential(production.idleEvery()),
                new Stop(
                    MachineState.IDLE, StopReason.WAITING, spread(production.idleDuration(), 0.5))),
            new Due(
                toChangeover,
                new Stop(
                    MachineState.SETUP,
                    StopReason.CHANGEOVER,
                    spread(production.changeoverDuration(), 0.2))));
    Due first = candidates.stream().min(Comparator.comparingLong(Due::inMs)).orElseThrow();
    nextStop = first.inMs() == Long.MAX_VALUE ? null : first.stop();
    return Math.max(MIN_SEGMENT_MS, Math.min(first.inMs(), LOOKAHEAD_MS));
  }

  /** An exponential draw with the given mean; never for a zero mean. */
  private long exponential(Duration mean) {
    if (mean.isZero()) {
      return Long.MAX_VALUE;
    }
    return Math.round(-mean.toMillis() * Math.log(1 - random.nextDouble()));
  }

  /** A log-normal repair time whose mean is the MTTR. */
  private long repairMs() {
    double mu = Math.log(production.mttr().toMillis()) - REPAIR_SIGMA * REPAIR_SIGMA / 2;
    long ms = Math.round(Math.exp(mu + REPAIR_SIGMA * random.nextGaussian()));
    return Math.max(MIN_SEGMENT_MS, ms);
  }

  /** Uniform in {@code mean × [1 - share, 1 + share]}, at least one segment. */
  private long spread(Duration mean, double share) {
    double factor = 1 - share + 2 * share * random.nextDouble();
    return Math.max(MIN_SEGMENT_MS, Math.round(mean.toMillis() * factor));
  }

  private void enter(long ts, MachineState state, StopReason reason) {
    if (state != current) {
      pending.addLast(new ScheduleEvent.StateEntered(ts, state, reason));
      current = state;
    }
  }

  /** Parts finish at the end of each full cycle; a cycle cut short by a stop yields no part. */
  private void addParts(long start, long end) {
    long t = start;
    while (true) {
      long cycle = drawCycleMs();
      if (t + cycle >= end) {
        return;
      }
      t += cycle;
      pending.addLast(new ScheduleEvent.PartFinished(t, drawGood()));
    }
  }
}
