package io.gemba.api.security;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Slows down guessing: after {@value #FREE_FAILURES} failed sign-ins of a user name, or from an
 * address, within {@value #WINDOW_MINUTES} minutes, each further attempt must wait twice as long as
 * the one before (2 s, 4 s, ... at most 5 minutes) after the last failure. A success clears the
 * user name. Memory is bounded: the oldest entries give way beyond {@value #MAX_ENTRIES}.
 */
final class SignInThrottle {

  static final int FREE_FAILURES = 5;
  static final int WINDOW_MINUTES = 15;
  static final int MAX_ENTRIES = 10_000;
  private static final long MAX_WAIT_MS = 300_000;

  private record Failures(int count, long lastMs) {}

  private final Map<String, Failures> failures = new LinkedHashMap<>(16, 0.75f, true);

  /** How long {@code keys} must still wait, in ms; 0 when an attempt may go ahead now. */
  synchronized long waitMs(long now, String... keys) {
    long wait = 0;
    for (String key : keys) {
      Failures f = failures.get(key);
      if (f == null || now - f.lastMs() > WINDOW_MINUTES * 60_000L) {
        continue;
      }
      if (f.count() >= FREE_FAILURES) {
        long delay = Math.min(MAX_WAIT_MS, 1000L << Math.min(20, f.count() - FREE_FAILURES + 1));
        wait = Math.max(wait, f.lastMs() + delay - now);
      }
    }
    return Math.max(0, wait);
  }

  /** Records a failed attempt; returns the most failures any of {@code keys} has now. */
  synchronized int failed(long now, String... keys) {
    int most = 0;
    for (String key : keys) {
      Failures f = failures.get(key);
      int count = f == null || now - f.lastMs() > WINDOW_MINUTES * 60_000L ? 1 : f.count() + 1;
      failures.put(key, new Failures(count, now));
      most = Math.max(most, count);
    }
    Iterator<String> oldest = failures.keySet().iterator();
    while (failures.size() > MAX_ENTRIES && oldest.hasNext()) {
      oldest.next();
      oldest.remove();
    }
    return most;
  }

  synchronized void succeeded(String key) {
    failures.remove(key);
  }
}
