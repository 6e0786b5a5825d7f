package io.gemba.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OeeBandsTest {

  @Test
  void percentPairIsParsedToRatios() {
    assertThat(OeeBands.parsePercent("60, 80")).isEqualTo(new OeeBands(0.6, 0.8));
  }

  @Test
  void reversedOrMalformedBandsAreRefusedSayingWhatIsExpected() {
    for (String bad : new String[] {"85,65", "65", "a,b", "65,101"}) {
      assertThatThrownBy(() -> OeeBands.parsePercent(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("RED,GREEN")
          .hasMessageContaining("'" + bad + "'");
    }
  }
}
