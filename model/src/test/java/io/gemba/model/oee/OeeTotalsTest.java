package io.gemba.model.oee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class OeeTotalsTest {

  private static MachineOee machine(long planned, long run, long total, long good, double ideal) {
    return new MachineOee("m", 0, 60_000, new OeeInputs(planned, run, total, good, ideal), planned);
  }

  @Test
  void oneMachine_hasItsOwnFigures() {
    MachineOee m = machine(60_000, 45_000, 2, 2, 20_000);

    assertThat(OeeTotals.of(m).figures()).isEqualTo(m.figures());
  }

  @Test
  void aRollup_weighsMachinesByTimeAndParts_notByAveragingRatios() {
    // A fast machine that ran an hour, a slow one that ran six minutes.
    MachineOee fast = machine(3_600_000, 3_600_000, 170, 170, 20_000);
    MachineOee slow = machine(3_600_000, 360_000, 4, 2, 60_000);

    OeeTotals sum = OeeTotals.of(fast).plus(OeeTotals.of(slow));

    assertThat(sum.figures().availability()).isCloseTo(3_960_000.0 / 7_200_000, within(1e-12));
    assertThat(sum.figures().performance())
        .isCloseTo((170 * 20_000.0 + 4 * 60_000.0) / 3_960_000, within(1e-12));
    // Quality by ideal time: the slow machine's two rejects weigh three times a fast one's.
    assertThat(sum.figures().quality())
        .isCloseTo(
            (170 * 20_000.0 + 2 * 60_000.0) / (170 * 20_000.0 + 4 * 60_000.0), within(1e-12));
    double averaged = (fast.figures().performance() + slow.figures().performance()) / 2;
    assertThat(sum.figures().performance()).isNotCloseTo(averaged, within(1e-3));
    // OEE is still availability × performance × quality.
    OeeFigures f = sum.figures();
    assertThat(f.oee()).isCloseTo(f.availability() * f.performance() * f.quality(), within(1e-12));
  }

  @Test
  void unknownTime_countsAsPlanned_andLowersCoverage() {
    OeeTotals sum =
        OeeTotals.of(machine(60_000, 60_000, 3, 3, 20_000)).plus(OeeTotals.unknown(60_000));

    assertThat(sum.coverage()).isEqualTo(0.5);
    assertThat(sum.figures().availability()).isEqualTo(0.5);
    assertThat(OeeTotals.ZERO.figures().oee()).isNaN();
  }
}
