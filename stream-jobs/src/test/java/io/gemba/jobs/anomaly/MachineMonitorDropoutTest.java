package io.gemba.jobs.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.gemba.model.asset.MachineState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Dropout is judged in the machine's state: a signal read by exception (OPC UA) that holds still,
 * and so sends nothing, while the machine is down is not a dropout; the same silence while
 * producing, where the signal always reports, is.
 */
class MachineMonitorDropoutTest {

  private static final long T0 = 1_800_000_000_000L;

  /** One second of samples: temperature always, load only if {@code loadReports}. */
  private static List<Anomaly> second(MachineMonitor m, long t, boolean loadReports) {
    List<Anomaly> out = new ArrayList<>();
    long s = (t - T0) / 1_000;
    out.addAll(m.signal(t, "temperature", 40 + (s * 13 % 7) * 0.05));
    if (loadReports) {
      out.addAll(m.signal(t, "load", 55 + (s * 37 % 11) * 0.3));
    }
    return out;
  }

  private static List<Anomaly> play(MachineMonitor m, long from, long to, boolean loadReports) {
    List<Anomaly> out = new ArrayList<>();
    for (long t = from; t < to; t += 1_000) {
      out.addAll(second(m, t, loadReports));
    }
    return out;
  }

  @Test
  void silenceWhileDown_isNoDropout_butTheSameSilenceWhileProducingIs() {
    MachineMonitor m = new MachineMonitor("f", "l", "m");
    m.state(T0, MachineState.PRODUCING);
    List<Anomaly> found = new ArrayList<>(play(m, T0, T0 + 120_000, true));

    // Down for two minutes: the load holds still at 0 and its source sends nothing.
    m.state(T0 + 120_000, MachineState.DOWN);
    found.addAll(play(m, T0 + 120_000, T0 + 240_000, false));
    m.state(T0 + 240_000, MachineState.PRODUCING);
    found.addAll(play(m, T0 + 240_000, T0 + 300_000, true));
    assertThat(found)
        .as(found.toString())
        .extracting(Anomaly::rule)
        .doesNotContain(Anomaly.DROPOUT);

    // Producing, and the load goes silent for 30 s: a dropout, raised once the load was silent
    // for 10 s, and reported with its end when the load comes back.
    List<Anomaly> silent = play(m, T0 + 300_000, T0 + 330_000, false);
    assertThat(silent)
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.rule()).isEqualTo(Anomaly.DROPOUT);
              assertThat(a.ongoing()).isTrue();
              assertThat(a.start()).isCloseTo(T0 + 300_000, within(100L));
            });
    found.addAll(silent);
    found.addAll(play(m, T0 + 330_000, T0 + 340_000, true));
    assertThat(found)
        .filteredOn(a -> a.rule().equals(Anomaly.DROPOUT) && !a.ongoing())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.signal()).isEqualTo("load");
              // from when the first missing sample was due: the last one plus the usual interval
              assertThat(a.start()).isCloseTo(T0 + 300_000, within(100L));
              assertThat(a.end()).isEqualTo(T0 + 330_000);
            });
  }
}
