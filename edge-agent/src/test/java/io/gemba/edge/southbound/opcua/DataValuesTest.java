package io.gemba.edge.southbound.opcua;

import static org.assertj.core.api.Assertions.assertThat;

import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.junit.jupiter.api.Test;

class DataValuesTest {

  private static long[] counter(Object value) {
    return DataValues.counter(new DataValue(new Variant(value)));
  }

  @Test
  void unsignedCounters_carryTheirTypesModulus() {
    assertThat(counter(UShort.valueOf(65_535))).containsExactly(65_535, 65_536);
    assertThat(counter(UInteger.valueOf(7))).containsExactly(7, 1L << 32);
  }

  @Test
  void signedCounters_areReadAsUnsigned() {
    assertThat(counter((short) -1)).containsExactly(65_535, 65_536);
    assertThat(counter(Integer.MIN_VALUE)).containsExactly(1L << 31, 1L << 32);
  }

  @Test
  void sixtyFourBitCounters_haveNoModulus_andNonIntegersAreNoCounter() {
    assertThat(counter(42L)).containsExactly(42, 0);
    assertThat(counter(1.5)).isNull();
    assertThat(counter("12")).isNull();
  }
}
