package io.gemba.jobs.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.gemba.model.asset.MachineState;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TrendCheckTest {

  private static final long T0 = 1_800_000_000_000L;
  private static final long SECOND = 1_000;

  /**
   * Feeds one visit of {@code seconds} samples at 1 s, starting {@code since}, with value {@code
   * f(t)} (t in seconds from the visit's start) plus noise uniform in ±{@code noise}.
   */
  private static List<TrendCheck.Verdict> visit(
      TrendCheck check,
      long since,
      int seconds,
      java.util.function.DoubleUnaryOperator f,
      double noise,
      SplittableRandom random) {
    List<TrendCheck.Verdict> out = new ArrayList<>();
    for (int s = 0; s < seconds; s++) {
      double v = f.applyAsDouble(s) + (noise == 0 ? 0 : random.nextDouble(-noise, noise));
      TrendCheck.Verdict verdict =
          check.add(MachineState.PRODUCING, since, since + s * SECOND, v, 1_000);
      if (verdict != null) {
        out.add(verdict);
      }
    }
    return out;
  }

  @Test
  void aWindowsSlope_isTheLinesSlope_perHour() {
    TrendCheck check = new TrendCheck();
    // 0.72 per hour: 0.0002 per second, without noise.
    List<TrendCheck.Verdict> windows =
        visit(check, T0, 700, s -> 5 + 0.0002 * s, 0, new SplittableRandom(1));
    // Settling takes 30 s; then two whole windows of 300 s fit into the 670 s left.
    assertThat(windows).hasSize(2);
    assertThat(windows.get(0).slopePerHour()).isCloseTo(0.72, within(1e-9));
    assertThat(windows.get(0).start()).isEqualTo(T0 + 30 * SECOND);
    assertThat(windows.get(0).z()).as("still learning the usual slope").isZero();
  }

  @Test
  void aSteeperSlope_thanTheStatesUsualOne_standsOut_aUsualOneDoesNot() {
    SplittableRandom random = new SplittableRandom(7);
    TrendCheck check = new TrendCheck();
    long since = T0;
    // Four visits of the usual creep (0.72 per hour, noise ±0.1): the state's usual slope.
    for (int v = 0; v < 4; v++) {
      visit(check, since, 700, s -> 2 + 0.0002 * s, 0.1, random);
      since += 3_600 * SECOND;
    }
    List<TrendCheck.Verdict> usual = visit(check, since, 700, s -> 2 + 0.0002 * s, 0.1, random);
    assertThat(usual).allSatisfy(w -> assertThat(Math.abs(w.z())).isLessThan(TrendCheck.Z));
    since += 3_600 * SECOND;
    // The same creep with a drift of 1.5 per hour on top (0.000417 per second more). A window's
    // slope has a standard error of about 0.1/sqrt(3) * sqrt(12 / 300^3) per second, 0.14 per
    // hour: the drift is some 10 of them.
    List<TrendCheck.Verdict> drifting =
        visit(check, since, 700, s -> 2 + (0.0002 + 1.5 / 3600) * s, 0.1, random);
    assertThat(drifting).isNotEmpty();
    assertThat(drifting.get(0).slopePerHour()).isCloseTo(0.72 + 1.5, within(0.3));
    assertThat(drifting.get(0).z()).isGreaterThan(TrendCheck.Z);
  }

  @Test
  void aLevelStillSettlingTowardsItsStates_isNeitherJudgedNorLearnt() {
    SplittableRandom random = new SplittableRandom(3);
    TrendCheck check = new TrendCheck();
    long since = T0;
    for (int v = 0; v < 4; v++) {
      visit(check, since, 700, s -> 30 + 0.0001 * s, 0.02, random);
      since += 3_600 * SECOND;
    }
    // A temperature approaching its state's level with a time constant of 100 s: its slope in
    // the second half of the window is a twentieth of the first half's.
    List<TrendCheck.Verdict> approach =
        visit(check, since, 400, s -> 46 - 22 * Math.exp(-s / 100.0), 0.02, random);
    assertThat(approach).singleElement().satisfies(w -> assertThat(w.z()).isZero());
    // And it taught the state nothing: the usual slope is still the one of the four visits.
    since += 3_600 * SECOND;
    List<TrendCheck.Verdict> after = visit(check, since, 700, s -> 30 + 0.0001 * s, 0.02, random);
    assertThat(after).allSatisfy(w -> assertThat(Math.abs(w.z())).isLessThan(TrendCheck.Z));
  }

  @Test
  void aGapInTheSamples_startsTheWindowOver() {
    TrendCheck check = new TrendCheck();
    List<TrendCheck.Verdict> out = new ArrayList<>();
    // 200 s, a silence of 60 s, then 200 s: no 300 s of samples in a row.
    for (int s = 30; s < 490; s++) {
      if (s >= 230 && s < 290) {
        continue;
      }
      TrendCheck.Verdict v = check.add(MachineState.PRODUCING, T0, T0 + s * SECOND, s, 1_000);
      if (v != null) {
        out.add(v);
      }
    }
    assertThat(out).isEmpty();
  }
}
