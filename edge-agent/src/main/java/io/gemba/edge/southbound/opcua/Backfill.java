package io.gemba.edge.southbound.opcua;

import io.gemba.model.config.InvalidFieldException;
import java.time.Duration;

/**
 * Whether, after a lost connection, the agent reads from the server's history what it missed.
 *
 * @param enabled default true; only nodes the server marks as historizing are read
 * @param maxWindow the longest gap read back, counted from each node's last value before it
 *     (default PT1H; the KPI job corrects minutes up to its {@code --allowed-lateness}, PT1H)
 * @param batchSize values per node in one HistoryRead response (default 1000); more come behind
 *     continuation points
 */
public record Backfill(Boolean enabled, Duration maxWindow, Integer batchSize) {

  public static final Backfill DEFAULT = new Backfill(null, null, null);

  public Backfill {
    enabled = enabled == null || enabled;
    maxWindow = maxWindow == null ? Duration.ofHours(1) : maxWindow;
    if (maxWindow.isNegative()
        || maxWindow.isZero()
        || maxWindow.compareTo(Duration.ofDays(7)) > 0) {
      throw new InvalidFieldException("maxWindow", "expected PT1S to P7D, got " + maxWindow);
    }
    batchSize = batchSize == null ? 1000 : batchSize;
    if (batchSize < 1 || batchSize > 100_000) {
      throw new InvalidFieldException("batchSize", "expected 1 to 100000, got " + batchSize);
    }
  }
}
