package io.gemba.api.http;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** A {@code from}/{@code to} query range, validated. */
record TimeRange(long from, long to) {

  static final Duration MAX = Duration.ofDays(7);
  static final Duration DEFAULT = Duration.ofHours(1);

  /**
   * Parses the range; missing {@code to} means now, missing {@code from} one hour before {@code
   * to}.
   *
   * @throws Problem naming the parameter that is wrong
   */
  static TimeRange parse(String fromText, String toText, long now) {
    return parse(fromText, toText, now, MAX);
  }

  /** As {@link #parse(String, String, long)}, with the longest range {@code max}. */
  static TimeRange parse(String fromText, String toText, long now, Duration max) {
    long to = toText == null ? now : instant("to", toText);
    long from = fromText == null ? to - DEFAULT.toMillis() : instant("from", fromText);
    if (from >= to) {
      throw Problem.badParameter("from", "from must be before to");
    }
    if (to - from > max.toMillis()) {
      throw Problem.badParameter(
          "from", "the range from..to may span at most " + max.toDays() + " days here");
    }
    return new TimeRange(from, to);
  }

  private static long instant(String name, String text) {
    try {
      return Instant.parse(text).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw Problem.badParameter(
          name, "expected an ISO-8601 instant like 2026-11-22T08:00:00Z, got '" + text + "'");
    }
  }
}
