package io.gemba.jobs.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemba.jobs.records.ShiftToDate;
import io.gemba.model.oee.OeeTotals;
import io.gemba.model.oee.StateTimes;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Shift-to-date sums in the operator harness: a night shift across midnight, in local time. */
class ShiftToDateFunctionTest {

  private static final ParkSpec PARK =
      ParkSpec.of(
          Path.of("park.yaml"),
          """
          id: p
          factories:
            - id: f
              timeZone: Asia/Shanghai
              shifts:
                - { name: day, start: "06:00", end: "22:00" }
                - { name: night, start: "22:00", end: "06:00" }
              lines:
                - id: l
                  machines:
                    - { id: cnc-1, kind: cnc, idealCycleSeconds: 20 }
          """);

  /** 23:58 in Shanghai: the night shift began two hours ago. */
  private static final long T = Instant.parse("2026-01-01T15:58:00Z").toEpochMilli();

  private static final long MINUTE = 60_000;
  private static final long NIGHT_START = Instant.parse("2026-01-01T14:00:00Z").toEpochMilli();

  private static ShiftToDateFunction.Part minute(long start, long runMs, long total) {
    OeeTotals totals =
        new OeeTotals(
            MINUTE,
            runMs,
            MINUTE,
            total,
            total,
            20_000.0 * total,
            20_000.0 * total,
            new StateTimes(runMs, MINUTE - runMs, 0, 0, 0, 0),
            0);
    return new ShiftToDateFunction.Part(
        "machine", "cnc-1", "f", "l", start, start + MINUTE, totals);
  }

  @Test
  void minutesAcrossMidnight_sumIntoTheirShift_andACorrectionReplacesItsMinute() throws Exception {
    try (var h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new ShiftToDateFunction(PARK, Duration.ofHours(1))),
            ShiftToDateFunction.Part::key,
            Types.STRING)) {
      h.open();
      for (int i = 0; i < 4; i++) {
        h.processElement(new StreamRecord<>(minute(T + i * MINUTE, 60_000, 3), T + i * MINUTE));
      }
      // The minute at 23:59 corrected by late data: it was a breakdown.
      h.processElement(new StreamRecord<>(minute(T + MINUTE, 0, 0), T + MINUTE));
      List<ShiftToDate> out = h.extractOutputValues();
      assertThat(out).hasSize(5);
      ShiftToDate last = out.get(4);
      assertThat(last.shift()).isEqualTo("night");
      assertThat(last.shiftStart()).isEqualTo(NIGHT_START);
      assertThat(last.asOf()).isEqualTo(T + 4 * MINUTE);
      OeeTotals t = last.totals();
      // Two hours (and two minutes of the new day) planned, four minutes seen.
      assertThat(t.plannedMs()).isEqualTo(T + 4 * MINUTE - NIGHT_START);
      assertThat(t.knownPlannedMs()).isEqualTo(4 * MINUTE);
      assertThat(t.runMs()).isEqualTo(3 * MINUTE);
      assertThat(t.totalCount()).isEqualTo(9);
      assertThat(t.times().idleMs()).isEqualTo(MINUTE);
    }
  }
}
