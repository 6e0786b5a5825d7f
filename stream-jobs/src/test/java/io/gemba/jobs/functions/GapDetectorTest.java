package io.gemba.jobs.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemba.jobs.records.EnvelopeSeen;
import io.gemba.jobs.records.Gap;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The gap detector in Flink's operator test harness, with its keyed state and timers. */
class GapDetectorTest {

  private static final String GW = "gw-zj-01";

  /** The agent started at this millisecond and numbers its envelopes from it. */
  private static final long START = 1_795_000_000_000L;

  private static KeyedOneInputStreamOperatorTestHarness<String, EnvelopeSeen, Gap> harness()
      throws Exception {
    var h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new GapDetector(Duration.ofSeconds(30))),
            EnvelopeSeen::gateway,
            Types.STRING);
    h.open();
    return h;
  }

  /** Envelope {@code n} of the agent, sent {@code n} × 100 ms after its start. */
  private static StreamRecord<EnvelopeSeen> envelope(long n) {
    return new StreamRecord<>(new EnvelopeSeen(GW, START + n, START + 100 * n));
  }

  private static List<Gap> gaps(OneInputStreamOperatorTestHarness<EnvelopeSeen, Gap> h) {
    return h.extractOutputValues();
  }

  @Test
  void missingEnvelopes_areReportedOnceAfterTheGrace_andLateOnesCloseTheirPart() throws Exception {
    try (var h = harness()) {
      h.setProcessingTime(1_000);
      for (long n : new long[] {0, 1, 2, 7, 8, 4}) {
        h.processElement(envelope(n));
      }
      h.setProcessingTime(30_999);
      assertThat(gaps(h)).isEmpty();

      h.setProcessingTime(31_000);
      // 3 to 6 went missing with 7; 4 came late, so 3 and 5 to 6 are lost.
      assertThat(gaps(h))
          .containsExactlyInAnyOrder(
              new Gap(GW, START + 3, START + 3, START + 700),
              new Gap(GW, START + 5, START + 6, START + 700));
      h.setProcessingTime(120_000);
      assertThat(gaps(h)).hasSize(2);
    }
  }

  @Test
  void reorderedAndDuplicateEnvelopes_areNoGap() throws Exception {
    try (var h = harness()) {
      h.setProcessingTime(1_000);
      for (long n : new long[] {0, 2, 1, 3, 3, 5, 4, 6}) {
        h.processElement(envelope(n));
      }
      h.setProcessingTime(100_000);
      assertThat(gaps(h)).isEmpty();
    }
  }

  @Test
  void aRestartedAgent_numbersFromItsStartTime_andThatJumpIsNoGap() throws Exception {
    try (var h = harness()) {
      h.setProcessingTime(1_000);
      h.processElement(envelope(0));
      h.processElement(envelope(1));
      // Restarted a minute later: it numbers from its new start time, beyond anything sent before.
      long restart = START + 100 + 60_000;
      h.processElement(new StreamRecord<>(new EnvelopeSeen(GW, restart, restart + 5)));
      h.processElement(new StreamRecord<>(new EnvelopeSeen(GW, restart + 1, restart + 105)));
      h.setProcessingTime(100_000);
      assertThat(gaps(h)).isEmpty();
    }
  }

  @Test
  void anOpenGap_survivesACheckpointAndRestore() throws Exception {
    OperatorSubtaskState snapshot;
    try (var h = harness()) {
      h.setProcessingTime(1_000);
      h.processElement(envelope(1));
      h.processElement(envelope(6));
      snapshot = h.snapshot(1, 1_000);
    }
    try (var restored =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new GapDetector(Duration.ofSeconds(30))),
            EnvelopeSeen::gateway,
            Types.STRING)) {
      restored.setup();
      restored.initializeState(snapshot);
      restored.open();
      restored.setProcessingTime(1_000);
      restored.processElement(envelope(3));
      restored.setProcessingTime(40_000);
      assertThat(gaps(restored))
          .containsExactlyInAnyOrder(
              new Gap(GW, START + 2, START + 2, START + 600),
              new Gap(GW, START + 4, START + 5, START + 600));
    }
  }
}
