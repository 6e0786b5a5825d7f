package io.gemba.jobs.records;

/**
 * What the job refused, with the reason; stored as a dead letter, never retried. A whole message
 * (not an envelope, or one its sender may not send), or readings of an accepted envelope (source
 * time out of bounds, signals over the machine's cap).
 *
 * @param topic the message's topic, shown safely (control characters escaped, at most 64
 *     characters)
 * @param factory the park factory the refusal concerns, or null when the message names none
 * @param ordinal a per-function counter that keeps refusals in the same millisecond apart in
 *     storage
 * @param readings how many readings were refused: those of the whole envelope when it could be
 *     read, 0 when it could not
 */
public record RejectedMessage(
    String topic,
    String factory,
    long receivedAt,
    long ordinal,
    int bytes,
    int readings,
    String reason) {

  /** The longest reason stored, in characters. */
  public static final int MAX_REASON = 512;

  public RejectedMessage {
    reason = reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) + "…" : reason;
  }

  /** Storage timestamp in nanoseconds: the arrival millisecond plus the ordinal. */
  public long storageNanos() {
    return receivedAt * 1_000_000L + Math.floorMod(ordinal, 1_000_000L);
  }
}
