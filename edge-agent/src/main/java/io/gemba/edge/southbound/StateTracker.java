package io.gemba.edge.southbound;

import io.gemba.model.asset.MachineState;
import io.gemba.model.envelope.Quality;
import io.gemba.model.envelope.StateChange;
import java.util.Objects;
import java.util.Optional;

/**
 * Joins a machine's state and its stop reason, which devices often keep in two variables, into
 * state readings: a new state is sent with the reason last read, and a new reason is sent with the
 * state last read, so every stop carries the reason the machine gave for it. A reason longer than
 * the envelope allows is cut to that length; an empty one means none.
 */
public final class StateTracker {

  private MachineState state;
  private Quality quality = Quality.GOOD;
  private String reason;

  /** The reading for a state read at {@code ts}. */
  public synchronized StateChange state(long ts, MachineState next, Quality q) {
    state = next;
    quality = q;
    return new StateChange(ts, next, q, reason);
  }

  /** The reading for a reason read at {@code ts}; empty before the first state or if unchanged. */
  public synchronized Optional<StateChange> reason(long ts, String text) {
    String next = normalise(text);
    if (Objects.equals(next, reason)) {
      return Optional.empty();
    }
    reason = next;
    return state == null
        ? Optional.empty()
        : Optional.of(new StateChange(ts, state, quality, next));
  }

  /**
   * The reading for a state and reason read together; empty when neither changed. A null {@code
   * reasonText} leaves the reason as it was (devices often send only what changed).
   */
  public synchronized Optional<StateChange> both(
      long ts, MachineState next, Quality q, String reasonText) {
    String nextReason = reasonText == null ? reason : normalise(reasonText);
    if (next == state && q == quality && Objects.equals(nextReason, reason)) {
      return Optional.empty();
    }
    state = next;
    quality = q;
    reason = nextReason;
    return Optional.of(new StateChange(ts, next, q, nextReason));
  }

  private static String normalise(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String trimmed = text.strip().replaceAll("\\p{Cntrl}", " ");
    return trimmed.length() > StateChange.MAX_REASON_LENGTH
        ? trimmed.substring(0, StateChange.MAX_REASON_LENGTH)
        : trimmed;
  }
}
