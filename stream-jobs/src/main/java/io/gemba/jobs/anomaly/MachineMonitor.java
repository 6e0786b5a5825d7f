package io.gemba.jobs.anomaly;

import io.gemba.model.anomaly.SignalRules;
import io.gemba.model.asset.MachineState;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Watches every signal of one machine: a {@link SignalMonitor} per signal, judged in the machine's
 * current state; <b>dropout</b> across them: a signal that sends nothing for ten of its usual
 * intervals (at least 10 s) while the machine's other signals keep coming, in a state in which it
 * does keep reporting (a value read by exception holds still, and sends nothing, while the machine
 * is down); and <b>clock_jump</b>: the machine's timestamps going back by more than a second, or
 * ahead by more than 10 s at once (reported once per jump, with an empty signal).
 */
public final class MachineMonitor implements Serializable {

  private static final long serialVersionUID = 1L;

  static final long MIN_DROPOUT_MS = 10_000;
  static final int DROPOUT_PERIODS = 10;

  private final String factory;
  private final String line;
  private final String machine;
  private final Map<String, SignalMonitor> signals = new HashMap<>();
  private final Map<String, Long> droppedSince = new HashMap<>();
  private MachineState state = MachineState.UNKNOWN;
  private long stateSince = Long.MIN_VALUE;
  private long newestTs = Long.MIN_VALUE;
  private long jumpedAt = Long.MIN_VALUE / 2;

  /** The signal name of a clock jump, which concerns the whole machine. */
  public static final String CLOCK_SIGNAL = "";

  public MachineMonitor(String factory, String line, String machine) {
    this.factory = factory;
    this.line = line;
    this.machine = machine;
  }

  /** The machine's state changed at {@code ts}. */
  public void state(long ts, MachineState next) {
    if (next != state) {
      state = next;
      stateSince = ts;
    }
  }

  /** Judges one sample of {@code signal} by the default rules. */
  public List<Anomaly> signal(long ts, String signal, double value) {
    return signal(ts, signal, value, SignalRules.DEFAULTS);
  }

  /**
   * Judges one sample of {@code signal} by {@code rules}; returns the anomalies that ended or were
   * found.
   */
  public List<Anomaly> signal(long ts, String signal, double value, SignalRules rules) {
    List<Anomaly> out = new ArrayList<>();
    SignalMonitor monitor = signals.computeIfAbsent(signal, SignalMonitor::new);
    Long dropped = droppedSince.remove(signal);
    if (dropped != null) {
      double seconds = (ts - dropped) / 1000.0;
      out.add(
          anomaly(
              signal,
              Anomaly.DROPOUT,
              seconds,
              dropped,
              ts,
              String.format(
                  Locale.ROOT,
                  "%s sent nothing for %.0f s while the machine reported.",
                  signal,
                  seconds)));
    }
    if (newestTs != Long.MIN_VALUE && (ts < newestTs - 1_000 || ts > newestTs + MIN_DROPOUT_MS)) {
      // The machine's clock jumped: report it once, and judge silence afresh from here.
      double seconds = (ts - newestTs) / 1000.0;
      // Dated by the last trustworthy time: a clock that went back dates its samples too early.
      long at = Math.max(ts, newestTs);
      out.add(
          anomaly(
              CLOCK_SIGNAL,
              Anomaly.CLOCK,
              Math.abs(seconds),
              at,
              at + 1,
              String.format(
                  Locale.ROOT,
                  "The machine's timestamps jumped %s %.0f s: its clock may be off.",
                  seconds < 0 ? "back" : "ahead",
                  Math.abs(seconds))));
      newestTs = ts;
      droppedSince.clear();
      jumpedAt = ts;
    }
    boolean continuous =
        newestTs != Long.MIN_VALUE
            && ts - newestTs < MIN_DROPOUT_MS
            && ts - jumpedAt > MIN_DROPOUT_MS;
    newestTs = Math.max(newestTs, ts);
    if (continuous) {
      for (Map.Entry<String, SignalMonitor> other : signals.entrySet()) {
        SignalMonitor m = other.getValue();
        // Expected to report only since the machine entered a state in which it does.
        long quietSince = Math.max(m.lastTs(), stateSince);
        long silentFor = newestTs - quietSince;
        // (not the signal of this sample: it is not silent, and was just reported if it was)
        if (m.periodMs() > 0
            && !other.getKey().equals(signal)
            && m.reportsIn(state)
            && !droppedSince.containsKey(other.getKey())
            && silentFor > Math.max(MIN_DROPOUT_MS, DROPOUT_PERIODS * m.periodMs())) {
          droppedSince.put(other.getKey(), Math.max(m.lastTs() + (long) m.periodMs(), stateSince));
        }
      }
    }
    monitor.observe(
        state,
        stateSince,
        ts,
        value,
        rules,
        (rule, score, start, end, message) ->
            out.add(anomaly(signal, rule, score, start, end, message)));
    return out;
  }

  /**
   * Forgets the signals not read for {@code silenceMs} before the newest reading, so that names a
   * machine sent once do not stay in its state for ever.
   */
  public void forgetSilentSignals(long silenceMs) {
    if (newestTs == Long.MIN_VALUE) {
      return;
    }
    signals
        .entrySet()
        .removeIf(
            e -> {
              long last = e.getValue().lastTs();
              boolean silent = last != Long.MIN_VALUE && newestTs - last > silenceMs;
              if (silent) {
                droppedSince.remove(e.getKey());
              }
              return silent;
            });
  }

  private Anomaly anomaly(
      String signal, String rule, double score, long start, long end, String message) {
    return new Anomaly(factory, line, machine, signal, rule, score, start, end, message);
  }
}
