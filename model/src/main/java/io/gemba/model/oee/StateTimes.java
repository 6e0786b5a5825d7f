package io.gemba.model.oee;

import io.gemba.model.asset.MachineState;

/**
 * How a window's planned time with a known state divides among the states. Small stops are the part
 * of idle and down time that belongs to stops shorter than the micro-stop limit; they count as run
 * time (a performance loss), not as downtime.
 */
public record StateTimes(
    long producingMs,
    long idleMs,
    long downMs,
    long setupMs,
    long plannedStopMs,
    long smallStopMs) {

  public static final StateTimes ZERO = new StateTimes(0, 0, 0, 0, 0, 0);

  /** Producing time plus small stops: the run time of availability. */
  public long runMs() {
    return producingMs + smallStopMs;
  }

  /** Idle and down time of stops at or above the micro-stop limit. */
  public long unplannedStopMs() {
    return idleMs + downMs - smallStopMs;
  }

  public StateTimes plus(StateTimes o) {
    return new StateTimes(
        producingMs + o.producingMs,
        idleMs + o.idleMs,
        downMs + o.downMs,
        setupMs + o.setupMs,
        plannedStopMs + o.plannedStopMs,
        smallStopMs + o.smallStopMs);
  }

  /** These times with {@code ms} more in {@code state}; unknown time is not counted here. */
  public StateTimes with(MachineState state, long ms, boolean smallStop) {
    return switch (state) {
      case PRODUCING ->
          new StateTimes(producingMs + ms, idleMs, downMs, setupMs, plannedStopMs, smallStopMs);
      case IDLE ->
          new StateTimes(
              producingMs,
              idleMs + ms,
              downMs,
              setupMs,
              plannedStopMs,
              smallStopMs + (smallStop ? ms : 0));
      case DOWN ->
          new StateTimes(
              producingMs,
              idleMs,
              downMs + ms,
              setupMs,
              plannedStopMs,
              smallStopMs + (smallStop ? ms : 0));
      case SETUP ->
          new StateTimes(producingMs, idleMs, downMs, setupMs + ms, plannedStopMs, smallStopMs);
      case PLANNED_STOP ->
          new StateTimes(producingMs, idleMs, downMs, setupMs, plannedStopMs + ms, smallStopMs);
      case UNKNOWN -> this;
    };
  }
}
