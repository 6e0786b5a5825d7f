package io.gemba.model.calendar;

/**
 * One occurrence of a shift: the named shift as worked on one day, {@code [start, end)} in epoch
 * milliseconds. A factory without shifts works one shift a day named {@code day}, from local
 * midnight to local midnight.
 */
public record ShiftOccurrence(String name, long start, long end) {

  public boolean contains(long ts) {
    return ts >= start && ts < end;
  }
}
