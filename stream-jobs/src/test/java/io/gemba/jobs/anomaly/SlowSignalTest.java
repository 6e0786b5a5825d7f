package io.gemba.jobs.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemba.jobs.anomaly.AnomalyOperators.Detection;
import io.gemba.model.asset.MachineState;
import io.gemba.model.envelope.Quality;
import io.gemba.model.envelope.SignalValue;
import io.gemba.model.envelope.StateChange;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A signal read every 5 minutes through the job's anomaly operators, as a bearing temperature of a
 * pump or an energy meter is: three healthy days with a daily swing, a slow drift, then a failure.
 * Before the KPI job judged clocks against the gateway, every such sample was a clock jump.
 */
class SlowSignalTest {

  private static final long T0 = 1_800_000_000_000L;
  private static final long FIVE_MINUTES = 300_000;
  private static final long DAY = 86_400_000;
  private static final long DRIFT_FROM = T0 + 3 * DAY;
  private static final long FAILURE_AT = T0 + 3 * DAY + 12 * 3_600_000;
  private static final long END = FAILURE_AT + 6 * 3_600_000;

  /** 60 °C with a daily swing of 4 °C and 0.1 °C noise; then +3 °C over 12 h; then +15 °C. */
  private static double temperature(long t, SplittableRandom noise) {
    double swing = 4 * Math.sin(2 * Math.PI * (t - T0) / (double) DAY);
    double drift =
        t < DRIFT_FROM ? 0 : 3.0 * Math.min(t - DRIFT_FROM, 12 * 3_600_000) / (12 * 3_600_000);
    double failure = t < FAILURE_AT ? 0 : 15;
    return Math.round((60 + swing + drift + failure + noise.nextDouble(-0.1, 0.1)) * 100) / 100.0;
  }

  @Test
  void aFiveMinuteTemperature_raisesNoClockOrFalseAlarm_andItsFailureIsFound() throws Exception {
    SplittableRandom noise = new SplittableRandom(7);
    List<Detection> found;
    try (AnomalyOperators job = new AnomalyOperators("pump-1", "cnc", "")) {
      job.send(
          T0, List.of(), List.of(new StateChange(T0, MachineState.PRODUCING, Quality.GOOD, null)));
      for (long t = T0 + FIVE_MINUTES; t <= END; t += FIVE_MINUTES) {
        // The gateway reads and sends at once: its clock and the sample's agree.
        job.send(
            t,
            List.of(new SignalValue("bearing_temperature", t, temperature(t, noise), Quality.GOOD)),
            List.of());
      }
      found = job.finish();
    }
    assertThat(found).extracting(d -> d.anomaly().rule()).doesNotContain(Anomaly.CLOCK);
    assertThat(found)
        .as("nothing raised while healthy or drifting slowly")
        .filteredOn(d -> d.raisedAt() < FAILURE_AT)
        .isEmpty();
    // A shift needs five samples in a row far from the last normal one: 20 minutes after the first.
    assertThat(found)
        .filteredOn(d -> d.raisedAt() >= FAILURE_AT)
        .first()
        .satisfies(
            d -> {
              assertThat(d.anomaly().rule()).isEqualTo(Anomaly.SHIFT);
              assertThat(d.anomaly().start()).isEqualTo(FAILURE_AT);
              assertThat(d.raisedAt()).isEqualTo(FAILURE_AT + 4 * FIVE_MINUTES);
            });
  }
}
