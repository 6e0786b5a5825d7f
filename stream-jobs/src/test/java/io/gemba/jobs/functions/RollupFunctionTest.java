package io.gemba.jobs.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.gemba.jobs.records.OeeMinute;
import io.gemba.jobs.records.RollupMinute;
import io.gemba.model.oee.StateTimes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Rollups sum times and counts, count silent machines as unknown time, and take corrections. */
class RollupFunctionTest {

  private static final ParkSpec PARK =
      ParkSpec.of(
          Path.of("park.yaml"),
          """
          id: p
          factories:
            - id: f
              timeZone: UTC
              lines:
                - id: a
                  machines:
                    - { id: cnc-1, kind: cnc, idealCycleSeconds: 20 }
                    - { id: cnc-2, kind: cnc, idealCycleSeconds: 45 }
                - id: b
                  machines:
                    - { id: robot-1, kind: robot, idealCycleSeconds: 30 }
          """);

  private static final long T0 = 1_767_225_600_000L;
  private static final long MINUTE = 60_000;

  private static OeeMinute minute(
      String machine, String line, long run, long total, long good, double idealMs) {
    return new OeeMinute(
        "f",
        line,
        machine,
        T0,
        T0 + MINUTE,
        MINUTE,
        run,
        MINUTE,
        total,
        good,
        idealMs,
        new StateTimes(run, MINUTE - run, 0, 0, 0, 0),
        0,
        new TreeMap<>(Map.of("idle", MINUTE - run)));
  }

  private static KeyedOneInputStreamOperatorTestHarness<
          String, RollupFunction.Contribution, RollupMinute>
      harness() throws Exception {
    var h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new RollupFunction(PARK, Duration.ofMinutes(10))),
            RollupFunction.Contribution::key,
            Types.STRING);
    h.open();
    return h;
  }

  private static void feed(
      KeyedOneInputStreamOperatorTestHarness<String, RollupFunction.Contribution, RollupMinute> h,
      OeeMinute m)
      throws Exception {
    for (RollupFunction.Contribution c : RollupFunction.contributions("p", m)) {
      h.processElement(new StreamRecord<>(c, m.end() - 1));
    }
  }

  private static RollupMinute last(List<RollupMinute> out, String scope) {
    return out.stream().filter(r -> r.scope().equals(scope)).reduce((a, b) -> b).orElseThrow();
  }

  @Test
  void linesFactoriesAndThePark_sumTheirMachines() throws Exception {
    try (var h = harness()) {
      feed(h, minute("cnc-1", "a", 60_000, 3, 3, 20_000));
      feed(h, minute("cnc-2", "a", 15_000, 0, 0, 45_000));
      assertThat(h.extractOutputValues()).isEmpty();

      h.processWatermark(new Watermark(T0 + MINUTE - 1));
      List<RollupMinute> out = h.extractOutputValues();
      assertThat(out)
          .extracting(RollupMinute::scope)
          .containsExactlyInAnyOrder("line", "factory", "park");

      RollupMinute line = last(out, "line");
      assertThat(line.id()).isEqualTo("a");
      assertThat(line.totals().plannedMs()).isEqualTo(2 * MINUTE);
      assertThat(line.totals().runMs()).isEqualTo(75_000);
      assertThat(line.totals().figures().availability()).isCloseTo(75.0 / 120, within(1e-12));
      // 3 parts × 20 s over 75 s of running, not the mean of 100 % and "no parts".
      assertThat(line.totals().figures().performance()).isCloseTo(60.0 / 75, within(1e-12));
      assertThat(line.totals().figures().oee()).isCloseTo(60.0 / 120, within(1e-12));
      assertThat(line.totals().coverage()).isEqualTo(1.0);

      // robot-1 reported nothing: its minute is planned time with an unknown state.
      RollupMinute factory = last(out, "factory");
      assertThat(factory.machines()).isEqualTo(3);
      assertThat(factory.reporting()).isEqualTo(2);
      assertThat(factory.totals().plannedMs()).isEqualTo(3 * MINUTE);
      assertThat(factory.totals().coverage()).isCloseTo(2.0 / 3, within(1e-12));
      assertThat(last(out, "park").id()).isEqualTo("p");
    }
  }

  @Test
  void aCorrectedMachineMinute_replacesItsPart_andIsEmittedAtOnce() throws Exception {
    try (var h = harness()) {
      feed(h, minute("cnc-1", "a", 60_000, 3, 3, 20_000));
      feed(h, minute("cnc-2", "a", 15_000, 0, 0, 45_000));
      h.processWatermark(new Watermark(T0 + 5 * MINUTE));
      int before = h.extractOutputValues().size();

      // Late data: cnc-1 was down for 30 s of that minute after all.
      feed(h, minute("cnc-1", "a", 30_000, 1, 1, 20_000));
      List<RollupMinute> out = h.extractOutputValues();
      assertThat(out).hasSize(before + 3);
      RollupMinute line = last(out, "line");
      assertThat(line.totals().runMs()).isEqualTo(45_000);
      assertThat(line.totals().totalCount()).isEqualTo(1);

      // After the allowed lateness the minute is forgotten.
      h.processWatermark(new Watermark(T0 + 30 * MINUTE));
      assertThat(h.numKeyedStateEntries()).isZero();
    }
  }
}
