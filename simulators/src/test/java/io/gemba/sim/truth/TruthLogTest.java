package io.gemba.sim.truth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gemba.model.asset.Fault;
import io.gemba.model.asset.FaultKind;
import io.gemba.model.asset.MachineState;
import io.gemba.model.asset.StopReason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TruthLogTest {

  @TempDir Path dir;

  @Test
  void statesAndFaultsAreLoggedWithExactBounds() throws Exception {
    Path file = dir.resolve("truth.jsonl");
    Fault drift =
        new Fault(
            FaultKind.DRIFT, "vibration_rms", Duration.ofHours(2), Duration.ofHours(6), 4.0, null);
    try (TruthLog log = new TruthLog(file)) {
      log.stateInterval(
          new StateInterval(
              "cnc-07",
              MachineState.DOWN,
              StopReason.MICRO_STOP,
              1_800_000_000_000L,
              1_800_000_123_456L));
      log.fault(
          new InjectedFault(
              "cnc-07", "Vibration.Rms", drift, 1_800_007_200_000L, 1_800_028_800_000L));
    }

    List<JsonNode> lines =
        Files.readAllLines(file).stream()
            .map(
                l -> {
                  try {
                    return new ObjectMapper().readTree(l);
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                })
            .toList();
    assertThat(lines.get(0).get("kind").asText()).isEqualTo("state");
    assertThat(lines.get(0).get("state").asText()).isEqualTo("down");
    assertThat(lines.get(0).get("reason").asText()).isEqualTo("micro_stop");
    assertThat(lines.get(0).get("end").asText()).isEqualTo("2027-01-15T08:02:03.456Z");
    assertThat(lines.get(1).get("kind").asText()).isEqualTo("fault");
    assertThat(lines.get(1).get("fault").asText()).isEqualTo("drift");
    assertThat(lines.get(1).get("signal").asText()).isEqualTo("vibration_rms");
    assertThat(lines.get(1).get("magnitude").asDouble()).isEqualTo(4.0);
    assertThat(lines.get(1).get("start").asText()).isEqualTo("2027-01-15T10:00:00Z");
  }
}
