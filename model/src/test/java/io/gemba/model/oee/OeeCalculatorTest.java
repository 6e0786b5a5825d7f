package io.gemba.model.oee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class OeeCalculatorTest {

  private static final long MINUTE = 60_000;

  /**
   * A worked shift: 480 min, 60 min of breaks (planned 420 min), 47 min of breakdowns (run 373
   * min), ideal rate 60 parts/min (1 s per part), 19,271 parts of which 423 rejected.
   */
  @Test
  void workedShift_matchesHandComputedFigures() {
    OeeInputs in = new OeeInputs(420 * MINUTE, 373 * MINUTE, 19_271, 18_848, 1000);

    OeeFigures f = OeeCalculator.compute(in);

    assertThat(f.availability()).isCloseTo(0.888095, within(1e-6));
    assertThat(f.performance()).isCloseTo(0.861081, within(1e-6));
    assertThat(f.quality()).isCloseTo(0.978050, within(1e-6));
    assertThat(f.oee()).isCloseTo(0.747937, within(1e-6));
    assertThat(f.oee()).isCloseTo(f.availability() * f.performance() * f.quality(), within(1e-12));
  }

  @Test
  void cncMinute_withOnePartAtIdealSpeed() {
    // 60 s planned, 40 s producing, ideal cycle 20 s, 2 parts of which 1 good.
    OeeFigures f = OeeCalculator.compute(new OeeInputs(MINUTE, 40_000, 2, 1, 20_000));

    assertThat(f.availability()).isEqualTo(40.0 / 60);
    assertThat(f.performance()).isEqualTo(1.0);
    assertThat(f.quality()).isEqualTo(0.5);
    assertThat(f.oee()).isEqualTo(20.0 / 60);
  }

  @Test
  void nothingPlanned_leavesEveryFigureUndefined() {
    OeeFigures f = OeeCalculator.compute(new OeeInputs(0, 0, 0, 0, 1000));

    assertThat(f.availability()).isNaN();
    assertThat(f.performance()).isNaN();
    assertThat(f.quality()).isNaN();
    assertThat(f.oee()).isNaN();
  }

  @Test
  void runningWithoutParts_hasZeroOeeAndNoQuality() {
    OeeFigures f = OeeCalculator.compute(new OeeInputs(MINUTE, MINUTE, 0, 0, 1000));

    assertThat(f.availability()).isEqualTo(1.0);
    assertThat(f.performance()).isEqualTo(0.0);
    assertThat(f.quality()).isNaN();
    assertThat(f.oee()).isEqualTo(0.0);
  }

  @Test
  void goodAboveTotal_isRejected() {
    assertThatThrownBy(() -> new OeeInputs(MINUTE, MINUTE, 1, 2, 1000))
        .hasMessageContaining("good count 2 exceeds total count 1");
  }
}
