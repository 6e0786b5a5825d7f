package io.gemba.jobs.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemba.model.asset.MachineState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The spacing of a machine's samples is not a clock: a signal read every 5 minutes, or a machine
 * heard again after an outage, raises nothing by its spacing alone; dropouts are judged on the
 * machine's fastest signal's time scale.
 */
class MachineMonitorSpacingTest {

  private static final long T0 = 1_800_000_000_000L;
  private static final long FIVE_MINUTES = 300_000;

  /** A bearing temperature read every 5 minutes for two days: a daily swing and small noise. */
  private static double temperature(long t) {
    double hours = (t - T0) / 3_600_000.0;
    long k = (t - T0) / FIVE_MINUTES;
    return 61 + 3 * Math.sin(2 * Math.PI * hours / 24) + ((k * 37) % 11 - 5) * 0.02;
  }

  @Test
  void aSignalReadEveryFiveMinutes_raisesNothingWhenHealthy() {
    MachineMonitor m = new MachineMonitor("f", "l", "m");
    m.state(T0, MachineState.PRODUCING);
    List<Anomaly> found = new ArrayList<>();
    for (long t = T0; t < T0 + 2 * 86_400_000L; t += FIVE_MINUTES) {
      found.addAll(m.signal(t, "bearing_temperature", temperature(t)));
      found.addAll(m.signal(t, "ambient_temperature", 24 + ((t / FIVE_MINUTES) % 3) * 0.1));
    }
    assertThat(found).as(found.toString()).isEmpty();
  }

  @Test
  void aSlowSignalThatStopsAmongSlowSignals_isADropoutAfterTenOfItsIntervals() {
    MachineMonitor m = new MachineMonitor("f", "l", "m");
    m.state(T0, MachineState.PRODUCING);
    List<Anomaly> found = new ArrayList<>();
    long stop = T0 + 86_400_000L;
    long back = stop + 4 * 3_600_000L;
    for (long t = T0; t < back + 3_600_000L; t += FIVE_MINUTES) {
      found.addAll(m.signal(t, "ambient_temperature", 24 + ((t / FIVE_MINUTES) % 3) * 0.1));
      if (t < stop || t >= back) {
        found.addAll(m.signal(t, "bearing_temperature", temperature(t)));
      }
    }
    // Raised after ten of its intervals (50 minutes), reported again with its end.
    assertThat(found).as(found.toString()).hasSize(2);
    assertThat(found.get(0).ongoing()).isTrue();
    assertThat(found.get(0).start()).isEqualTo(stop);
    assertThat(found)
        .filteredOn(a -> !a.ongoing())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.rule()).isEqualTo(Anomaly.DROPOUT);
              assertThat(a.signal()).isEqualTo("bearing_temperature");
              assertThat(a.start()).isEqualTo(stop);
              assertThat(a.end()).isEqualTo(back);
            });
  }

  @Test
  void aMachineHeardAgainAfterAnOutage_hasNoDropoutsForSignalsNotYetBack() {
    MachineMonitor m = new MachineMonitor("f", "l", "m");
    m.state(T0, MachineState.PRODUCING);
    List<Anomaly> found = new ArrayList<>();
    long outage = T0 + 600_000;
    long back = outage + 900_000;
    for (long t = T0; t < back + 120_000; t += 1_000) {
      if (t >= outage && t < back) {
        continue;
      }
      long s = (t - T0) / 1_000;
      found.addAll(m.signal(t, "load", 55 + (s * 37 % 11) * 0.3));
      // After the outage the temperature's source needs 8 s to send again.
      if (t < outage || t >= back + 8_000) {
        found.addAll(m.signal(t, "temperature", 40 + (s * 13 % 7) * 0.05));
      }
    }
    assertThat(found).as(found.toString()).isEmpty();
  }
}
