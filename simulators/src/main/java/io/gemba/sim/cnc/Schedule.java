package io.gemba.sim.cnc;

import java.util.List;

/** What a simulated machine plays: its state changes and finished parts, in time order. */
public interface Schedule {

  /** Removes and returns every event with {@code ts <= until}, in time order. */
  List<ScheduleEvent> takeUntil(long until);
}
