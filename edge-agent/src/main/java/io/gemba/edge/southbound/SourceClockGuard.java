package io.gemba.edge.southbound;

import io.gemba.edge.config.SourceClock;
import io.gemba.edge.northbound.ReadingSink;
import io.gemba.model.envelope.CounterReading;
import io.gemba.model.envelope.MachineRef;
import io.gemba.model.envelope.Quality;
import io.gemba.model.envelope.SignalValue;
import io.gemba.model.envelope.StateChange;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands between the readers and the batcher: a reading whose source timestamp is further from the
 * agent's clock than the gateway's {@code sourceClock.tolerance} is counted and, by default,
 * forwarded with quality {@code uncertain} (or dropped, or kept, as configured). The KPI job bounds
 * source times against its own clock too; this makes a wrong PLC clock visible at the gateway that
 * can fix it.
 */
public final class SourceClockGuard implements ReadingSink {

  private static final Logger log = LoggerFactory.getLogger(SourceClockGuard.class);

  /** At most one log line per this interval. */
  private static final long LOG_EVERY_MS = 60_000;

  private final ReadingSink next;
  private final SourceClock config;
  private final LongSupplier clock;
  private final Runnable counted;
  private volatile long lastLog = Long.MIN_VALUE;

  /**
   * @param counted called once for every reading out of tolerance
   */
  public SourceClockGuard(
      ReadingSink next, SourceClock config, LongSupplier clock, Runnable counted) {
    this.next = next;
    this.config = config;
    this.clock = clock;
    this.counted = counted;
  }

  @Override
  public void signal(MachineRef machine, SignalValue value) {
    Quality q = judged(machine, value.ts(), value.quality());
    if (q != null) {
      next.signal(
          machine,
          q == value.quality()
              ? value
              : new SignalValue(value.signal(), value.ts(), value.value(), q));
    }
  }

  @Override
  public void state(MachineRef machine, StateChange change) {
    Quality q = judged(machine, change.ts(), change.quality());
    if (q != null) {
      next.state(
          machine,
          q == change.quality()
              ? change
              : new StateChange(change.ts(), change.state(), q, change.reason()));
    }
  }

  @Override
  public void counter(MachineRef machine, CounterReading reading) {
    Quality q = judged(machine, reading.ts(), reading.quality());
    if (q != null) {
      next.counter(
          machine,
          q == reading.quality()
              ? reading
              : new CounterReading(
                  reading.counter(), reading.ts(), reading.value(), q, reading.rollover()));
    }
  }

  /**
   * The quality a reading at {@code ts} goes on with: its own when its time is within tolerance (or
   * the action is {@code keep}), {@code uncertain} instead of {@code good} when flagged; null when
   * it is refused.
   */
  private Quality judged(MachineRef machine, long ts, Quality quality) {
    if (!isOff(machine, ts)) {
      return quality;
    }
    return switch (config.action()) {
      case REFUSE -> null;
      case FLAG -> quality == Quality.GOOD ? Quality.UNCERTAIN : quality;
      case KEEP -> quality;
    };
  }

  private boolean isOff(MachineRef machine, long ts) {
    long now = clock.getAsLong();
    long off = ts - now;
    if (Math.abs(off) <= config.tolerance().toMillis()) {
      return false;
    }
    counted.run();
    if (now - lastLog >= LOG_EVERY_MS) {
      lastLog = now;
      log.warn(
          "source timestamp far from the agent's clock machine={} offsetSeconds={} action={}",
          machine.id(),
          off / 1000,
          config.action().name().toLowerCase(Locale.ROOT));
    }
    return true;
  }
}
