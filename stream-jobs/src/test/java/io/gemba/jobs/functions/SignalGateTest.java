package io.gemba.jobs.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemba.jobs.records.Reading;
import io.gemba.jobs.records.RejectedMessage;
import io.gemba.model.envelope.Quality;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The signal cap in Flink's operator test harness, with its keyed state and timers. */
class SignalGateTest {

  private static final ParkSpec PARK =
      ParkSpec.of(
          Path.of("park.yaml"),
          """
          id: p
          limits: { signalsPerMachine: 4 }
          factories:
            - id: f1
              timeZone: UTC
              lines:
                - id: l1
                  machines:
                    - id: m1
                      kind: cnc
                      idealCycleSeconds: 20
                      signals: [ { name: declared_a }, { name: declared_b } ]
          """);

  private static StreamRecord<Reading> signal(String name, long ts) {
    return new StreamRecord<>(
        new Reading(
            "f1", "l1", "m1", ts, Reading.Kind.SIGNAL, name, 1.0, null, 0, 0, Quality.GOOD, null));
  }

  /**
   * Cap 4 with 2 declared: 2 made-up names get a place, the other 8 readings of made-up names are
   * refused and summed into one dead letter 10 s later; declared names always pass.
   */
  @Test
  void declaredNamesPass_twoOthersGetThePlacesLeft_theRestAreCountedInOneDeadLetter()
      throws Exception {
    try (var h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new SignalGate(PARK, Duration.ofDays(1))),
            Reading::machine,
            Types.STRING)) {
      h.open();
      h.setProcessingTime(1_000);
      for (int i = 0; i < 10; i++) {
        h.processElement(signal("made_up_" + i, 1_000 + i));
      }
      h.processElement(signal("declared_a", 2_000));
      h.processElement(signal("declared_b", 2_000));
      h.processElement(signal("made_up_1", 2_001));
      assertThat(h.extractOutputValues())
          .extracting(Reading::signal)
          .containsExactly("made_up_0", "made_up_1", "declared_a", "declared_b", "made_up_1");
      assertThat(h.getSideOutput(SignalGate.REFUSED)).isNull();
      h.setProcessingTime(11_000);
      assertThat(h.getSideOutput(SignalGate.REFUSED))
          .extracting(r -> ((RejectedMessage) r.getValue()).readings())
          .containsExactly(8);
    }
  }
}
