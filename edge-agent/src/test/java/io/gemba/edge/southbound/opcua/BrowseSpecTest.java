package io.gemba.edge.southbound.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gemba.model.config.InvalidFieldException;
import java.util.List;
import org.junit.jupiter.api.Test;

class BrowseSpecTest {

  private static BrowseSpec spec(List<String> include, List<String> exclude) {
    return new BrowseSpec(null, "Machines/cnc-07", include, exclude, null, null, null, null);
  }

  @Test
  void globs_starStaysWithinALevel_doubleStarCrossesLevels() {
    BrowseSpec spindle = spec(List.of("Spindle.*"), null);
    assertThat(spindle.matches("Spindle.Speed")).isTrue();
    assertThat(spindle.matches("Spindle.Drive/Current")).isFalse();
    assertThat(spindle.matches("Axis.X")).isFalse();

    BrowseSpec deep = spec(List.of("Axes/**"), List.of("**/Raw?"));
    assertThat(deep.matches("Axes/X/Position")).isTrue();
    assertThat(deep.matches("Axes/X/Raw1")).isFalse();
    assertThat(deep.matches("Spindle.Speed")).isFalse();

    assertThat(spec(null, null).matches("anything/at/all")).isTrue();
  }

  @Test
  void exactlyOneOfRootOrPath() {
    assertThatThrownBy(() -> new BrowseSpec(null, null, null, null, null, null, null, null))
        .isInstanceOf(InvalidFieldException.class)
        .hasMessageContaining("root");
    assertThatThrownBy(
            () -> new BrowseSpec("ns=2;s=cnc-07", "Machines", null, null, null, null, null, null))
        .isInstanceOf(InvalidFieldException.class);
    assertThatThrownBy(() -> new BrowseSpec(null, "/Machines", null, null, null, null, null, null))
        .isInstanceOf(InvalidFieldException.class)
        .hasMessageContaining("path");
  }
}
