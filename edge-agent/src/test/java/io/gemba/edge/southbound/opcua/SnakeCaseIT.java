package io.gemba.edge.southbound.opcua;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SnakeCaseIT {

  @Test
  void browseNamesBecomeSignalNames() {
    assertThat(AddressSpaceBrowser.snakeCase(List.of("Spindle.Speed"))).isEqualTo("spindle_speed");
    assertThat(AddressSpaceBrowser.snakeCase(List.of("Spindle", "ActualSpeed")))
        .isEqualTo("spindle_actual_speed");
    assertThat(AddressSpaceBrowser.snakeCase(List.of("TCPSpeed"))).isEqualTo("tcp_speed");
    assertThat(AddressSpaceBrowser.snakeCase(List.of("Joint 1", "Torque [Nm]")))
        .isEqualTo("joint_1_torque_nm");
    assertThat(AddressSpaceBrowser.snakeCase(List.of("1stAxis"))).isEqualTo("s_1st_axis");
    assertThat(AddressSpaceBrowser.snakeCase(List.of("--"))).isEqualTo("value");
  }
}
