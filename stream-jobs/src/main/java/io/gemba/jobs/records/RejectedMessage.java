package io.gemba.jobs.records;

/**
 * A message the job could not use, with the reason; stored as a dead letter, never retried.
 *
 * @param ordinal a per-decoder counter that keeps rejections in the same millisecond apart in
 *     storage
 */
public record RejectedMessage(
    String topic, long receivedAt, long ordinal, int bytes, String reason) {

  /** Storage timestamp in nanoseconds: the arrival millisecond plus the ordinal. */
  public long storageNanos() {
    return receivedAt * 1_000_000L + Math.floorMod(ordinal, 1_000_000L);
  }
}
