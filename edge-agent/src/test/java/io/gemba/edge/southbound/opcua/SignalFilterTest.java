package io.gemba.edge.southbound.opcua;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemba.model.envelope.Quality;
import org.junit.jupiter.api.Test;

class SignalFilterTest {

  @Test
  void withoutDeadband_dropsOnlyExactRepeats() {
    SignalFilter filter = new SignalFilter(null);

    assertThat(filter.accept(1.0, Quality.GOOD)).isTrue();
    assertThat(filter.accept(1.0, Quality.GOOD)).isFalse();
    assertThat(filter.accept(1.0, Quality.UNCERTAIN)).isTrue();
    assertThat(filter.accept(1.0000001, Quality.UNCERTAIN)).isTrue();
    assertThat(filter.suppressed()).isEqualTo(1);
  }

  @Test
  void absoluteDeadband_comparesWithTheLastReportedValue() {
    SignalFilter filter = new SignalFilter(new Deadband(1.0, null));

    assertThat(filter.accept(10.0, Quality.GOOD)).isTrue();
    assertThat(filter.accept(10.6, Quality.GOOD)).isFalse();
    // 10.6 was not reported, so 11.0 is compared with 10.0: within the deadband.
    assertThat(filter.accept(11.0, Quality.GOOD)).isFalse();
    assertThat(filter.accept(11.1, Quality.GOOD)).isTrue();
    assertThat(filter.accept(10.2, Quality.GOOD)).isFalse();
    assertThat(filter.accept(Double.NaN, Quality.BAD)).isTrue();
  }
}
