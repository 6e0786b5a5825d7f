package io.gemba.jobs.records;

/**
 * Envelopes of a gateway's session that never arrived: sequence numbers {@code fromSeq} to {@code
 * toSeq} inclusive, reported once they stayed missing for the detector's grace period.
 *
 * @param session the gateway's session, -1 for version-1 envelopes
 * @param revealedAt the sending time of the envelope whose number showed the gap; the gap's time in
 *     storage, so that a job restored from a checkpoint writes the same point again
 */
public record Gap(String gateway, long session, long fromSeq, long toSeq, long revealedAt) {

  public long missing() {
    return toSeq - fromSeq + 1;
  }
}
