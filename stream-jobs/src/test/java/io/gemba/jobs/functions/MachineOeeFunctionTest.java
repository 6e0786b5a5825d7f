package io.gemba.jobs.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemba.jobs.records.OeeMinute;
import io.gemba.jobs.records.Reading;
import io.gemba.model.asset.MachineState;
import io.gemba.model.envelope.Quality;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * OEE per machine and minute in the operator test harness: event-time timers close minutes, and a
 * late reading within the allowed lateness corrects its minute and the ones after it to exactly
 * what an on-time run computes.
 */
class MachineOeeFunctionTest {

  private static final ParkSpec PARK =
      ParkSpec.of(
          Path.of("park.yaml"),
          """
          id: p
          factories:
            - id: f
              timeZone: UTC
              lines:
                - id: l
                  machines:
                    - { id: cnc-1, kind: cnc, idealCycleSeconds: 20 }
          """);

  /** 2026-01-01T00:00Z. */
  private static final long T0 = 1_767_225_600_000L;

  private static final long MINUTE = 60_000;

  private static KeyedOneInputStreamOperatorTestHarness<String, Reading, OeeMinute> harness(
      Duration lateness) throws Exception {
    var h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new MachineOeeFunction(PARK, lateness)),
            Reading::machine,
            Types.STRING);
    h.open();
    return h;
  }

  private static Reading state(long ts, MachineState s) {
    return new Reading(
        "f", "l", "cnc-1", ts, Reading.Kind.STATE, null, 0, s, 0, 0, Quality.GOOD, null);
  }

  private static Reading counter(Reading.Kind kind, long ts, long v) {
    return new Reading("f", "l", "cnc-1", ts, kind, null, 0, null, v, 0, Quality.GOOD, null);
  }

  /** Three minutes of production: parts every 25 s, a breakdown from 0:45 to 1:30. */
  private static List<Reading> onTime() {
    List<Reading> r = new ArrayList<>();
    r.add(state(T0, MachineState.PRODUCING));
    r.add(counter(Reading.Kind.TOTAL, T0, 0));
    r.add(counter(Reading.Kind.GOOD, T0, 0));
    r.add(counter(Reading.Kind.TOTAL, T0 + 25_000, 1));
    r.add(counter(Reading.Kind.GOOD, T0 + 25_000, 1));
    r.add(state(T0 + 45_000, MachineState.DOWN));
    r.add(state(T0 + 90_000, MachineState.PRODUCING));
    r.add(counter(Reading.Kind.TOTAL, T0 + 115_000, 2));
    r.add(counter(Reading.Kind.TOTAL, T0 + 140_000, 3));
    r.add(counter(Reading.Kind.GOOD, T0 + 140_000, 2));
    return r;
  }

  /**
   * The last value emitted per minute start: what storage holds after overwrites. A stop reason
   * sent as 0 ms (to overwrite one a correction removed) counts as absent.
   */
  private static Map<Long, OeeMinute> stored(List<OeeMinute> emitted) {
    Map<Long, OeeMinute> byStart = new LinkedHashMap<>();
    emitted.forEach(
        m -> {
          m.stopReasons().values().removeIf(ms -> ms == 0);
          byStart.put(m.start(), m);
        });
    return byStart;
  }

  private static Map<Long, OeeMinute> run(List<Reading> first, List<Reading> late)
      throws Exception {
    try (var h = harness(Duration.ofMinutes(10))) {
      for (Reading r : first) {
        h.processElement(new StreamRecord<>(r, r.ts()));
      }
      // Minutes close two minutes (the micro-stop limit) after they end.
      h.processWatermark(new Watermark(T0 + 5 * MINUTE));
      for (Reading r : late) {
        h.processElement(new StreamRecord<>(r, r.ts()));
      }
      return stored(h.extractOutputValues());
    }
  }

  @Test
  void lateReadingsWithinTheBound_correctTheirMinuteAndTheOnesAfter() throws Exception {
    Map<Long, OeeMinute> reference = run(onTime(), List.of());
    assertThat(reference).hasSize(3);
    assertThat(reference.get(T0).times().downMs()).isEqualTo(15_000);
    // The 45 s breakdown is shorter than the micro-stop limit: a small stop, so run time.
    assertThat(reference.get(T0).times().smallStopMs()).isEqualTo(15_000);
    assertThat(reference.get(T0).runMs()).isEqualTo(60_000);

    // The breakdown and its repair arrive only after all three minutes closed.
    List<Reading> withoutBreakdown = new ArrayList<>(onTime());
    List<Reading> late = List.of(onTime().get(5), onTime().get(6));
    withoutBreakdown.removeAll(late);
    Map<Long, OeeMinute> beforeCorrection = run(withoutBreakdown, List.of());
    assertThat(beforeCorrection.get(T0).times().downMs()).isZero();

    assertThat(run(withoutBreakdown, late)).isEqualTo(reference);
  }

  @Test
  void aReasonACorrectionRemoves_isSentAsZero() throws Exception {
    List<Reading> withoutRepair = new ArrayList<>(onTime());
    Reading repair = onTime().get(6);
    withoutRepair.remove(repair);
    try (var h = harness(Duration.ofMinutes(10))) {
      for (Reading r : withoutRepair) {
        h.processElement(new StreamRecord<>(r, r.ts()));
      }
      h.processWatermark(new Watermark(T0 + 5 * MINUTE));
      h.processElement(new StreamRecord<>(repair, repair.ts()));
      List<OeeMinute> emitted = h.extractOutputValues();
      OeeMinute last = emitted.get(emitted.size() - 1);
      assertThat(last.start()).isEqualTo(T0 + 2 * MINUTE);
      assertThat(last.stopReasons()).containsExactly(Map.entry("down", 0L));
    }
  }

  @Test
  void readingsBeyondTheBound_areDroppedAndChangeNothing() throws Exception {
    try (var h = harness(Duration.ofMinutes(10))) {
      for (Reading r : onTime()) {
        h.processElement(new StreamRecord<>(r, r.ts()));
      }
      h.processWatermark(new Watermark(T0 + 20 * MINUTE));
      int emitted = h.extractOutputValues().size();
      // Minute 17 closed at 20:00 minus a millisecond, once its stops could be classified.
      assertThat(emitted).isEqualTo(18);

      // Minute 0 closed 20 minutes ago, beyond the 10-minute bound.
      h.processElement(new StreamRecord<>(state(T0 + 10_000, MachineState.IDLE), T0 + 10_000));
      assertThat(h.extractOutputValues()).hasSize(emitted);
      // Minute 12 is within it. The reading may end a stop of the two minutes before it, so
      // those, minute 12 and the ones after it are emitted again.
      long ts = T0 + 12 * MINUTE + 5_000;
      h.processElement(new StreamRecord<>(state(ts, MachineState.IDLE), ts));
      List<OeeMinute> after = h.extractOutputValues();
      assertThat(after).hasSize(emitted + 8);
      assertThat(after.get(emitted).start()).isEqualTo(T0 + 10 * MINUTE);
      assertThat(stored(after).get(T0 + 12 * MINUTE).runMs()).isEqualTo(5_000);
      assertThat(after.get(after.size() - 1).runMs()).isZero();
    }
  }

  @Test
  void lateEndOfAStop_turnsTheClosedMinutesOfTheStopIntoSmallStops() throws Exception {
    try (var h = harness(Duration.ofMinutes(10))) {
      List<Reading> readings =
          List.of(
              state(T0, MachineState.PRODUCING),
              counter(Reading.Kind.TOTAL, T0, 0),
              counter(Reading.Kind.GOOD, T0, 0),
              state(T0 + 50_000, MachineState.DOWN),
              counter(Reading.Kind.TOTAL, T0 + 5 * MINUTE, 1));
      for (Reading r : readings) {
        h.processElement(new StreamRecord<>(r, r.ts()));
      }
      h.processWatermark(new Watermark(T0 + 4 * MINUTE));
      Map<Long, OeeMinute> before = stored(h.extractOutputValues());
      assertThat(before.get(T0).times().smallStopMs()).isZero();
      assertThat(before.get(T0 + MINUTE).times().downMs()).isEqualTo(MINUTE);

      // The repair at 1:40 arrives late: a 50 s stop, small in both minutes it touched.
      Reading repaired = state(T0 + 100_000, MachineState.PRODUCING);
      h.processElement(new StreamRecord<>(repaired, repaired.ts()));
      Map<Long, OeeMinute> after = stored(h.extractOutputValues());
      assertThat(after.get(T0).times().smallStopMs()).isEqualTo(10_000);
      assertThat(after.get(T0).runMs()).isEqualTo(MINUTE);
      assertThat(after.get(T0 + MINUTE).times().smallStopMs()).isEqualTo(40_000);
      assertThat(after.get(T0 + MINUTE).runMs()).isEqualTo(MINUTE);
    }
  }
}
