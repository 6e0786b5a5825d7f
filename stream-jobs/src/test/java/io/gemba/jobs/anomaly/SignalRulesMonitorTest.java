package io.gemba.jobs.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemba.model.anomaly.AnomalyRule;
import io.gemba.model.anomaly.SignalRules;
import io.gemba.model.asset.MachineState;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The rules a park file can switch on per signal, on synthetic signals with a known fault. */
class SignalRulesMonitorTest {

  private record Report(String rule, double score, long start, long end) {}

  private static SignalRules rules(Set<AnomalyRule> rules, Double maxRate) {
    return new SignalRules(null, null, rules, null, null, null, null, maxRate);
  }

  /**
   * 10 Hz of Gaussian noise (σ = 1) around 50 while producing, from 0 to {@code untilMs}; from
   * {@code faultAt} on, {@code fault} is added.
   */
  private static List<Report> play(
      SignalRules rules,
      long untilMs,
      long faultAt,
      java.util.function.LongToDoubleFunction fault) {
    SignalMonitor monitor = new SignalMonitor("temperature");
    SplittableRandom random = new SplittableRandom(7);
    List<Report> out = new ArrayList<>();
    for (long ts = 0; ts < untilMs; ts += 100) {
      double value = 50 + gaussian(random) + (ts >= faultAt ? fault.applyAsDouble(ts) : 0);
      monitor.observe(
          MachineState.PRODUCING,
          0,
          ts,
          value,
          rules,
          (rule, score, start, end, message) -> out.add(new Report(rule, score, start, end)));
    }
    monitor.close(
        untilMs,
        rules,
        (rule, score, start, end, m) -> out.add(new Report(rule, score, start, end)));
    return out;
  }

  private static double gaussian(SplittableRandom random) {
    double u = random.nextDouble(1e-12, 1);
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  @Test
  void rateOfChange_beyondThePhysicalLimit_isReported_andOnlyWhenSwitchedOn() {
    // A 20-degree jump in 100 ms: 200 per second against a limit of 100 (the noise alone moves up
    // to about 50 per second).
    List<Report> on =
        play(rules(Set.of(AnomalyRule.RATE_OF_CHANGE), 100.0), 200_000, 100_000, ts -> 20);
    // Raised when it is found, and reported again with its end.
    assertThat(on)
        .hasSize(2)
        .allSatisfy(
            r -> {
              assertThat(r.rule()).isEqualTo(Anomaly.RATE_OF_CHANGE);
              assertThat(r.start()).isEqualTo(100_000);
              assertThat(r.score()).isGreaterThan(150);
            });
    assertThat(on.get(0).end()).isEqualTo(Anomaly.ONGOING);
    assertThat(on.get(1).end()).isGreaterThan(100_000);
    assertThat(play(rules(Set.of(AnomalyRule.DRIFT), null), 200_000, 100_000, ts -> 20))
        .noneMatch(r -> r.rule().equals(Anomaly.RATE_OF_CHANGE));
  }

  @Test
  void westernElectricRules_findASmallSustainedShiftOfTheMean() {
    // The chart arms once the state settled (10 min) and 30 subgroups of 10 s were learnt: at
    // 15 min. From 17 min the mean moves by 0.5 σ of a sample, 5 σ of a 10 s subgroup mean: too
    // small for a single sample to stand out.
    long shiftAt = 17 * 60_000;
    for (AnomalyRule rule : List.of(AnomalyRule.WE2, AnomalyRule.WE3, AnomalyRule.WE4)) {
      List<Report> reports = play(rules(Set.of(rule), null), 22 * 60_000, shiftAt, ts -> 0.5);
      assertThat(reports).as("%s", rule).isNotEmpty();
      assertThat(reports)
          .as("%s", rule)
          .allSatisfy(
              r -> {
                assertThat(r.rule()).isEqualTo(rule.wireName());
                assertThat(r.start()).isGreaterThanOrEqualTo(shiftAt - 10_000);
              });
    }
    // The default rules see nothing in the same signal: the shift is within the noise per sample.
    assertThat(play(SignalRules.DEFAULTS, 22 * 60_000, shiftAt, ts -> 0.5))
        .noneMatch(r -> r.rule().equals(Anomaly.SHIFT) || r.rule().equals(Anomaly.OUTLIER));
  }

  @Test
  void aSpikeOnASignalWhoseRulesLeaveOutOutliers_isNotReported() {
    SignalRules noOutliers = rules(Set.of(AnomalyRule.STUCK, AnomalyRule.DRIFT), null);
    // One 40 σ sample at 5 min.
    List<Report> reports = play(noOutliers, 400_000, 300_000, ts -> ts < 300_100 ? 40 : 0);
    assertThat(reports).noneMatch(r -> r.rule().equals(Anomaly.OUTLIER));
    assertThat(play(SignalRules.DEFAULTS, 400_000, 300_000, ts -> ts < 300_100 ? 40 : 0))
        .anyMatch(r -> r.rule().equals(Anomaly.OUTLIER) && r.start() == 300_000);
  }
}
