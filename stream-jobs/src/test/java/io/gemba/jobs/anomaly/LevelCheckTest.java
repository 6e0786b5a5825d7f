package io.gemba.jobs.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemba.model.asset.MachineState;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

class LevelCheckTest {

  private static final long T0 = 1_800_000_000_000L;
  private static final long SECOND = 1_000;
  private static final MachineState IDLE = MachineState.IDLE;

  private final SplittableRandom random = new SplittableRandom(11);
  private final LevelCheck check = new LevelCheck();
  private long since = T0;

  /**
   * One visit of the state, {@code seconds} long at 1 s, value {@code level(t)} (t in seconds from
   * the first visit's start) with noise uniform in ±0.1; returns the closed subgroups' verdicts.
   */
  private List<LevelCheck.Verdict> visit(int seconds, DoubleUnaryOperator level) {
    List<LevelCheck.Verdict> out = new ArrayList<>();
    for (int s = 0; s < seconds; s++) {
      long ts = since + s * SECOND;
      double v = level.applyAsDouble((ts - T0) / 1000.0) + random.nextDouble(-0.1, 0.1);
      LevelCheck.Verdict verdict = check.add(IDLE, since, ts, v, true);
      if (verdict != null) {
        out.add(verdict);
      }
    }
    since += 3 * seconds * SECOND;
    return out;
  }

  /**
   * Ten visits of 7 minutes at level 5: nine subgroups each once the visit settled (2 min), 90 in
   * all, past the 40 the state needs.
   */
  private void learnLevelFive() {
    for (int v = 0; v < 10; v++) {
      assertThat(visit(420, t -> 5)).allMatch(LevelCheck.Verdict::normal);
    }
  }

  @Test
  void subgroupsCloseEvery30s_fromTwoMinutesIntoAVisit() {
    // 120 s settling, then 300 s: subgroups of 31 samples (30 s apart from first to last)
    // close at 150, 181, ... 398 s.
    assertThat(visit(420, t -> 5)).hasSize(9);
  }

  @Test
  void aLevelThatMovedAndStayed_isAShift_namedAfterFourSubgroups() {
    learnLevelFive();
    // The level moved by 1 while the machine was elsewhere: the noise's mean over 30 s has a
    // spread of about 0.1/sqrt(3)/sqrt(30) = 0.011, so 1 is far off.
    List<LevelCheck.Verdict> shifted = visit(900, t -> 6);
    assertThat(shifted.get(0).normal()).isFalse();
    assertThat(shifted.get(0).rule()).as("not named yet").isNull();
    LevelCheck.Verdict named =
        shifted.stream().filter(v -> v.rule() != null).findFirst().orElseThrow();
    assertThat(named.rule()).isEqualTo(Anomaly.SHIFT);
    // Named once it was off for four subgroups: dated from the first subgroup found off, which
    // began as the visit settled (2 minutes in).
    assertThat(named.firstOff()).isEqualTo(since - 3 * 900 * SECOND + 120 * SECOND);
    assertThat(shifted.indexOf(named)).isEqualTo(3);
  }

  @Test
  void aLevelThatKeepsMoving_isADrift() {
    learnLevelFive();
    long start = (since - T0) / 1000;
    // From this visit on, 0.5 per minute more: off at once, and 0.8 more three subgroups later.
    List<LevelCheck.Verdict> drifting = visit(900, t -> 5 + 0.5 + (t - start) / 120.0);
    assertThat(drifting.stream().filter(v -> v.rule() != null).findFirst().orElseThrow().rule())
        .isEqualTo(Anomaly.DRIFT);
  }

  @Test
  void aStepBack_fromALevelWellOff_isAReturn_aStepAwayIsNot() {
    learnLevelFive();
    assertThat(check.returns(IDLE, 6, 5.05)).isTrue();
    assertThat(check.returns(IDLE, 6, 5.8)).as("not most of the way back").isFalse();
    assertThat(check.returns(IDLE, 5.01, 6)).as("a step away from the usual level").isFalse();
    // The usual spread of 30 s means is about 0.011: 5.015 is within it, no fault to end.
    assertThat(check.returns(IDLE, 5.015, 5)).as("a level within its usual spread").isFalse();
    assertThat(check.returns(MachineState.DOWN, 6, 5)).as("a state never seen").isFalse();
  }

  @Test
  void aLevelBack_whereItUsuallyIs_isNormalAgain() {
    learnLevelFive();
    assertThat(visit(420, t -> 6)).noneMatch(LevelCheck.Verdict::normal);
    assertThat(visit(420, t -> 5)).allMatch(LevelCheck.Verdict::normal);
  }
}
