package io.gemba.model.calendar;

/** A half-open interval {@code [start, end)} of epoch milliseconds. */
public record TimeInterval(long start, long end) {
  public TimeInterval {
    if (end < start) {
      throw new IllegalArgumentException("interval end " + end + " before start " + start);
    }
  }

  public long length() {
    return end - start;
  }

  /** Milliseconds this interval shares with {@code [from, to)}. */
  public long overlap(long from, long to) {
    return Math.max(0, Math.min(end, to) - Math.max(start, from));
  }
}
