package io.gemba.model.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gemba.model.asset.MachineKind;
import io.gemba.model.asset.Park;
import io.gemba.model.config.ConfigException;
import io.gemba.model.config.YamlConfigLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SignalRulesTest {

  private static final String PARK =
      """
      id: p
      anomalies:
        - { signals: ["*temperature*"], machineKinds: [cnc], rules: [drift, rate_of_change, we2, we3, we4], maxRatePerSecond: 0.5 }
        - { signals: [spindle_load], outlierSteps: 8, stuckSamples: 30 }
      factories:
        - id: f
          timeZone: UTC
          lines:
            - id: l
              machines:
                - { id: cnc-1, kind: cnc, idealCycleSeconds: 20 }
      """;

  private static Park park(String yaml) {
    return new YamlConfigLoader().parse(Path.of("park.yaml"), yaml, Park.class);
  }

  @Test
  void firstMatchingEntryApplies_elseTheDefaults() {
    Park park = park(PARK);
    SignalRules temperature =
        SignalRules.of(park.anomalies(), "machine_temperature", MachineKind.CNC);
    assertThat(temperature.has(AnomalyRule.WE4)).isTrue();
    assertThat(temperature.has(AnomalyRule.OUTLIER)).isFalse();
    assertThat(temperature.maxRatePerSecond()).isEqualTo(0.5);
    // The same signal on a robot: the entry names cnc only.
    assertThat(SignalRules.of(park.anomalies(), "machine_temperature", MachineKind.ROBOT))
        .isEqualTo(SignalRules.DEFAULTS);
    SignalRules load = SignalRules.of(park.anomalies(), "spindle_load", MachineKind.CNC);
    assertThat(load.outlierSteps()).isEqualTo(8.0);
    assertThat(load.stuckSamples()).isEqualTo(30);
    assertThat(load.has(AnomalyRule.OUTLIER)).isTrue();
    assertThat(load.has(AnomalyRule.WE2)).isFalse();
  }

  @Test
  void badEntries_areRefusedWithTheFieldAndWhatWasExpected() {
    assertThatThrownBy(
            () ->
                park(
                    PARK.replace(
                        "[drift, rate_of_change, we2, we3, we4], maxRatePerSecond: 0.5",
                        "[rate_of_change]")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("anomalies[0].maxRatePerSecond")
        .hasMessageContaining("rate_of_change needs");
    assertThatThrownBy(() -> park(PARK.replace("we4]", "we5]")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("we5")
        .hasMessageContaining("rate_of_change");
    assertThatThrownBy(() -> park(PARK.replace("outlierSteps: 8", "outlierSteps: -1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("anomalies[1].outlierSteps");
  }
}
