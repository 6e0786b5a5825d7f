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
 * is down).
 *
 * <p>The spacing of a machine's samples says nothing about its clock: a temperature read every 5
 * minutes is as healthy as a load read every 10 ms. A machine's clock is judged where there is a
 * clock to judge it by, against its gateway's sending time and the job's clock, as envelopes are
 * decoded. Here a silence of the whole machine (a network or gateway outage) only restarts the
 * judgement of dropouts: a signal is expected to report again from the moment the machine does.
 */
public final class MachineMonitor implements Serializable {

  private static final long serialVersionUID = 1L;

  static final long MIN_DROPOUT_MS = 10_000;
  static final int DROPOUT_PERIODS = 10;
  static final long CLOCK_BACK_MS = 1_000;

  private final String factory;
  private final String line;
  private final String machine;
  private final Map<String, SignalMonitor> signals = new HashMap<>();
  private final Map<String, Long> droppedSince = new HashMap<>();
  private MachineState state = MachineState.UNKNOWN;
  private long stateSince = Long.MIN_VALUE;
  private long newestTs = Long.MIN_VALUE;
  private long resumedAt = Long.MIN_VALUE;

  /** The signal name of a clock anomaly, which concerns the whole machine. */
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

  /** When the machine entered its current state, as far as this monitor knows. */
  public long stateSince() {
    return stateSince;
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
      out.add(dropout(signal, dropped, ts, false));
    }
    if (newestTs == Long.MIN_VALUE
        || ts - newestTs > machineSilenceMs()
        || ts < newestTs - CLOCK_BACK_MS) {
      // The whole machine was silent (nothing of it was heard, so no signal of it dropped out), or
      // its clock went back (the decoder reports that against the gateway's clock): judge silence
      // afresh from here.
      endDropouts(newestTs, out);
      resumedAt = ts;
      newestTs = ts;
    }
    newestTs = Math.max(newestTs, ts);
    for (Map.Entry<String, SignalMonitor> other : signals.entrySet()) {
      SignalMonitor m = other.getValue();
      // Expected to report only since the machine entered a state in which it does, and since the
      // machine itself reports again.
      long quietSince = Math.max(Math.max(m.lastTs(), stateSince), resumedAt);
      long silentFor = newestTs - quietSince;
      // (not the signal of this sample: it is not silent, and was just reported if it was)
      if (m.periodMs() > 0
          && !other.getKey().equals(signal)
          && m.reportsIn(state)
          && !droppedSince.containsKey(other.getKey())
          && silentFor > dropoutAfterMs(m)) {
        long since = Math.max(Math.max(m.lastTs() + (long) m.periodMs(), stateSince), resumedAt);
        droppedSince.put(other.getKey(), since);
        // Raised while the silence lasts; reported again with its end when the signal is back.
        out.add(dropout(other.getKey(), since, newestTs, true));
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
   * machine sent once do not stay in its state for ever; a dropout raised for one of them ends
   * where it is forgotten, so that nothing stays raised for ever.
   *
   * @return the dropouts that ended
   */
  public List<Anomaly> forgetSilentSignals(long silenceMs) {
    List<Anomaly> ended = new ArrayList<>();
    if (newestTs == Long.MIN_VALUE) {
      return ended;
    }
    signals
        .entrySet()
        .removeIf(
            e -> {
              long last = e.getValue().lastTs();
              boolean silent = last != Long.MIN_VALUE && newestTs - last > silenceMs;
              if (silent) {
                Long since = droppedSince.remove(e.getKey());
                if (since != null) {
                  ended.add(dropout(e.getKey(), since, newestTs, false));
                }
              }
              return silent;
            });
    return ended;
  }

  /** Ends every raised dropout at {@code end}: the machine itself went silent then. */
  private void endDropouts(long end, List<Anomaly> out) {
    droppedSince.forEach((signal, since) -> out.add(dropout(signal, since, end, false)));
    droppedSince.clear();
  }

  /** A dropout from {@code since} to {@code end}: raised while it lasts, or over at its end. */
  private Anomaly dropout(String signal, long since, long end, boolean ongoing) {
    double seconds = Math.max(end - since, 0) / 1000.0;
    return anomaly(
        signal,
        Anomaly.DROPOUT,
        seconds,
        since,
        ongoing ? Anomaly.ONGOING : Math.max(end, since + 1),
        String.format(
            Locale.ROOT,
            "%s sent nothing for %.0f s while the machine reported.",
            signal,
            seconds));
  }

  private static long dropoutAfterMs(SignalMonitor m) {
    return Math.max(MIN_DROPOUT_MS, (long) (DROPOUT_PERIODS * m.periodMs()));
  }

  /**
   * How long the whole machine may be silent before it counts as an outage: as long as its fastest
   * signal may be silent before it dropped out.
   */
  private long machineSilenceMs() {
    long fastest = Long.MAX_VALUE;
    for (SignalMonitor m : signals.values()) {
      if (m.periodMs() > 0) {
        fastest = Math.min(fastest, dropoutAfterMs(m));
      }
    }
    return fastest == Long.MAX_VALUE ? MIN_DROPOUT_MS : fastest;
  }

  private Anomaly anomaly(
      String signal, String rule, double score, long start, long end, String message) {
    return new Anomaly(factory, line, machine, signal, rule, score, start, end, message);
  }
}
