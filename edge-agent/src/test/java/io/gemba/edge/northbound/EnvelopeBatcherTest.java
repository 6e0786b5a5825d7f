package io.gemba.edge.northbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemba.model.asset.MachineState;
import io.gemba.model.envelope.Envelope;
import io.gemba.model.envelope.MachineRef;
import io.gemba.model.envelope.Quality;
import io.gemba.model.envelope.SignalValue;
import io.gemba.model.envelope.StateChange;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvelopeBatcherTest {

  private static final MachineRef A = new MachineRef("f", "l", "a");
  private static final MachineRef B = new MachineRef("f", "l", "b");

  @Test
  void oneEnvelopePerMachine_withTheSessionAndConsecutiveSequenceNumbersFromZero() {
    EnvelopeBatcher batcher = new EnvelopeBatcher("gw", 100, () -> 5L);
    batcher.signal(A, new SignalValue("s", 1, 1.0, Quality.GOOD));
    batcher.signal(B, new SignalValue("s", 1, 2.0, Quality.GOOD));
    batcher.state(A, new StateChange(1, MachineState.IDLE, Quality.GOOD));

    List<Envelope> out = batcher.flush();

    assertThat(out).extracting(Envelope::seq).containsExactly(0L, 1L);
    assertThat(out).extracting(Envelope::session).containsOnly(100L);
    assertThat(out).extracting(Envelope::v).containsOnly(Envelope.VERSION);
    assertThat(out.get(0).size()).isEqualTo(2);
    assertThat(batcher.flush()).isEmpty();
    assertThat(batcher.pendingReadings()).isZero();
  }

  @Test
  void manyReadings_areSplitIntoBoundedEnvelopesInOrder() {
    EnvelopeBatcher batcher = new EnvelopeBatcher("gw", 0, () -> 5L);
    int n = EnvelopeBatcher.MAX_READINGS * 2 + 7;
    for (int i = 0; i < n; i++) {
      batcher.signal(A, new SignalValue("s", i, i, Quality.GOOD));
    }
    batcher.state(A, new StateChange(3, MachineState.DOWN, Quality.GOOD));

    List<Envelope> out = batcher.flush();

    assertThat(out)
        .hasSize(3)
        .allSatisfy(e -> assertThat(e.size()).isLessThanOrEqualTo(EnvelopeBatcher.MAX_READINGS));
    assertThat(out.get(0).states()).hasSize(1);
    assertThat(out.stream().flatMap(e -> e.values().stream()).map(SignalValue::ts).toList())
        .hasSize(n)
        .isSorted();
    assertThat(out).extracting(Envelope::seq).containsExactly(0L, 1L, 2L);
  }
}
