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

  /** The agent's session, and when it started. */
  private static final long SESSION = 1_795_000_000L;

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

  /** Envelope {@code n} of the session, sent {@code n} × 100 ms after its start. */
  private static StreamRecord<EnvelopeSeen> envelope(long n) {
    return new StreamRecord<>(new EnvelopeSeen(GW, SESSION, n, START + 100 * n));
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
              new Gap(GW, SESSION, 3, 3, START + 700), new Gap(GW, SESSION, 5, 6, START + 700));
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

  /**
   * 5,000 envelopes a second, as a busy gateway sends them: the numbers run far ahead of the
   * sending clock in milliseconds, which hid every loss from the version-1 scheme. A dropped
   * envelope is found in each session; the agent's restart (a new session numbering from 0 again,
   * while envelopes of the old one still arrive from its buffer) is no gap.
   */
  @Test
  void atFiveThousandEnvelopesASecond_oneDroppedEnvelopeIsFound_andARestartIsNoGap()
      throws Exception {
    try (var h = harness()) {
      h.setProcessingTime(1_000);
      long dropped = 7_777;
      for (long n = 0; n < 20_000; n++) {
        if (n != dropped) {
          h.processElement(new StreamRecord<>(new EnvelopeSeen(GW, SESSION, n, START + n / 5)));
        }
      }
      long next = SESSION + 1;
      long droppedAfterRestart = 2_222;
      for (long n = 0; n < 5_000; n++) {
        if (n == droppedAfterRestart) {
          continue;
        }
        h.processElement(new StreamRecord<>(new EnvelopeSeen(GW, next, n, START + 4_000 + n / 5)));
      }
      // The old session's last envelopes, sent from the agent's buffer after the restart.
      for (long n = 20_000; n < 20_010; n++) {
        h.processElement(new StreamRecord<>(new EnvelopeSeen(GW, SESSION, n, START + n / 5)));
      }
      h.setProcessingTime(100_000);
      assertThat(gaps(h))
          .containsExactlyInAnyOrder(
              new Gap(GW, SESSION, dropped, dropped, START + 7_778 / 5),
              new Gap(
                  GW, next, droppedAfterRestart, droppedAfterRestart, START + 4_000 + 2_223 / 5));
    }
  }

  /**
   * Version-1 envelopes (no session) keep their rule: a jump past the sending time is a restart.
   */
  @Test
  void aVersion1Agent_numbersFromItsStartTime_andThatJumpIsNoGap() throws Exception {
    try (var h = harness()) {
      h.setProcessingTime(1_000);
      h.processElement(new StreamRecord<>(new EnvelopeSeen(GW, -1, START, START)));
      h.processElement(new StreamRecord<>(new EnvelopeSeen(GW, -1, START + 1, START + 100)));
      h.processElement(new StreamRecord<>(new EnvelopeSeen(GW, -1, START + 3, START + 300)));
      // Restarted a minute later: it numbers from its new start time, beyond anything sent before.
      long restart = START + 100 + 60_000;
      h.processElement(new StreamRecord<>(new EnvelopeSeen(GW, -1, restart, restart + 5)));
      h.processElement(new StreamRecord<>(new EnvelopeSeen(GW, -1, restart + 1, restart + 105)));
      h.setProcessingTime(100_000);
      assertThat(gaps(h)).containsExactly(new Gap(GW, -1, START + 2, START + 2, START + 300));
    }
  }

  /** A sender that opens ever more ranges cannot grow the state: the oldest is reported early. */
  @Test
  void openRanges_areCapped_theOldestReportedEarly() throws Exception {
    try (var h = harness()) {
      for (int n = 0; n <= GapDetector.MAX_OPEN_RANGES; n++) {
        h.setProcessingTime(1_000 + n);
        h.processElement(envelope(2L * n));
      }
      assertThat(gaps(h)).isEmpty();
      h.setProcessingTime(2_001);
      h.processElement(envelope(2L * GapDetector.MAX_OPEN_RANGES + 2));
      assertThat(gaps(h)).containsExactly(new Gap(GW, SESSION, 1, 1, START + 200));
    }
  }

  /**
   * A gateway that starts ever new sessions cannot grow the state: beyond 16 the session seen least
   * recently is dropped, its open range reported at once.
   */
  @Test
  void sessionsPerGateway_areCapped_theStalestDroppedWithItsOpenRangeReported() throws Exception {
    try (var h = harness()) {
      h.setProcessingTime(1_000);
      h.processElement(new StreamRecord<>(new EnvelopeSeen(GW, 100, 0, START)));
      h.processElement(new StreamRecord<>(new EnvelopeSeen(GW, 100, 5, START + 5)));
      for (long s = 101; s < 100 + GapDetector.MAX_SESSIONS; s++) {
        h.setProcessingTime(1_000 + s);
        h.processElement(new StreamRecord<>(new EnvelopeSeen(GW, s, 0, START)));
      }
      assertThat(gaps(h)).isEmpty();
      h.setProcessingTime(2_000);
      h.processElement(
          new StreamRecord<>(new EnvelopeSeen(GW, 100 + GapDetector.MAX_SESSIONS, 0, START)));
      assertThat(gaps(h)).containsExactly(new Gap(GW, 100, 1, 4, START + 5));
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
              new Gap(GW, SESSION, 2, 2, START + 600), new Gap(GW, SESSION, 4, 5, START + 600));
    }
  }
}
