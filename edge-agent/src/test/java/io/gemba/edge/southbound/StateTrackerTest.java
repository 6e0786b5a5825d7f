package io.gemba.edge.southbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemba.model.asset.MachineState;
import io.gemba.model.envelope.Quality;
import io.gemba.model.envelope.StateChange;
import org.junit.jupiter.api.Test;

class StateTrackerTest {

  @Test
  void stateAndReasonFromTwoVariables_joinInEitherOrder() {
    StateTracker tracker = new StateTracker();
    // A reason before any state says nothing yet.
    assertThat(tracker.reason(1, "")).isEmpty();
    assertThat(tracker.state(2, MachineState.PRODUCING, Quality.GOOD))
        .isEqualTo(new StateChange(2, MachineState.PRODUCING, Quality.GOOD, null));
    // State first, then its reason at the same instant.
    assertThat(tracker.state(10, MachineState.DOWN, Quality.GOOD).reason()).isNull();
    assertThat(tracker.reason(10, "breakdown"))
        .contains(new StateChange(10, MachineState.DOWN, Quality.GOOD, "breakdown"));
    // The same reason again is no news; a new one in the same state is.
    assertThat(tracker.reason(11, "breakdown")).isEmpty();
    assertThat(tracker.reason(12, "E-4711 spindle overload"))
        .contains(new StateChange(12, MachineState.DOWN, Quality.GOOD, "E-4711 spindle overload"));
    // Reason cleared first, then the state: the state carries no stale reason.
    assertThat(tracker.reason(20, ""))
        .contains(new StateChange(20, MachineState.DOWN, Quality.GOOD, null));
    assertThat(tracker.state(20, MachineState.PRODUCING, Quality.GOOD).reason()).isNull();
  }

  @Test
  void readTogether_sentOnlyWhenSomethingChanged_andAMissingReasonKeepsTheLast() {
    StateTracker tracker = new StateTracker();
    assertThat(tracker.both(1, MachineState.IDLE, Quality.GOOD, "starved")).isPresent();
    assertThat(tracker.both(2, MachineState.IDLE, Quality.GOOD, "starved")).isEmpty();
    assertThat(tracker.both(3, MachineState.IDLE, Quality.GOOD, null)).isEmpty();
    assertThat(tracker.both(4, MachineState.IDLE, Quality.GOOD, "blocked"))
        .contains(new StateChange(4, MachineState.IDLE, Quality.GOOD, "blocked"));
  }

  @Test
  void overlongOrControlCharacters_areCutToWhatTheEnvelopeTakes() {
    StateTracker tracker = new StateTracker();
    tracker.state(1, MachineState.DOWN, Quality.GOOD);
    String reason = tracker.reason(2, "x".repeat(200) + "\n").orElseThrow().reason();
    assertThat(reason).hasSize(StateChange.MAX_REASON_LENGTH);
    assertThat(tracker.reason(3, "a\tb").orElseThrow().reason()).isEqualTo("a b");
  }
}
