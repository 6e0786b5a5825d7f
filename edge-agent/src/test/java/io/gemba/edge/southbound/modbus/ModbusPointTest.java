package io.gemba.edge.southbound.modbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import io.gemba.model.config.InvalidFieldException;
import org.junit.jupiter.api.Test;

/**
 * Decoding checked against byte patterns known from the IEEE 754 and two's complement tables, not
 * from the decoder: 0x40490FDB is the float nearest pi, 0x3FF0000000000000 the double 1.0.
 */
class ModbusPointTest {

  private static ModbusPoint holding(int address, ModbusType type, RegisterOrder order) {
    return new ModbusPoint(ModbusTable.HOLDING, address, type, order, null, null, null);
  }

  private static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  @Test
  void float32_inEachOrder() {
    float pi = 3.14159274f;
    assertThat(
            holding(0, ModbusType.FLOAT32, RegisterOrder.ABCD)
                .decode(bytes(0x40, 0x49, 0x0F, 0xDB), 0))
        .isEqualTo(pi);
    assertThat(
            holding(0, ModbusType.FLOAT32, RegisterOrder.CDAB)
                .decode(bytes(0x0F, 0xDB, 0x40, 0x49), 0))
        .isEqualTo(pi);
    assertThat(
            holding(0, ModbusType.FLOAT32, RegisterOrder.BADC)
                .decode(bytes(0x49, 0x40, 0xDB, 0x0F), 0))
        .isEqualTo(pi);
    assertThat(
            holding(0, ModbusType.FLOAT32, RegisterOrder.DCBA)
                .decode(bytes(0xDB, 0x0F, 0x49, 0x40), 0))
        .isEqualTo(pi);
  }

  @Test
  void integers_signedAndUnsigned() {
    byte[] minusTwo = bytes(0xFF, 0xFF, 0xFF, 0xFE);
    assertThat(holding(0, ModbusType.INT32, null).decode(minusTwo, 0)).isEqualTo(-2);
    assertThat(holding(0, ModbusType.UINT32, null).decode(minusTwo, 0)).isEqualTo(4_294_967_294.0);
    assertThat(holding(0, ModbusType.INT16, null).decode(bytes(0x80, 0x00), 0)).isEqualTo(-32768);
    assertThat(holding(0, ModbusType.UINT16, null).decode(bytes(0x80, 0x00), 0)).isEqualTo(32768);
    byte[] allOnes = bytes(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF);
    assertThat(holding(0, ModbusType.INT64, null).decode(allOnes, 0)).isEqualTo(-1);
    assertThat(holding(0, ModbusType.UINT64, null).decode(allOnes, 0))
        .isEqualTo(18_446_744_073_709_551_615.0);
    // 1_000_000 = 0x000F4240, least significant register first.
    assertThat(
            holding(0, ModbusType.UINT32, RegisterOrder.CDAB)
                .decode(bytes(0x42, 0x40, 0x00, 0x0F), 0))
        .isEqualTo(1_000_000);
  }

  @Test
  void float64_wordSwapped_andAtAnOffsetInTheResponse() {
    // Registers 10..13 of a response that began at 9: the first register is someone else's.
    byte[] response = bytes(0xAA, 0xBB, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3F, 0xF0);
    assertThat(holding(10, ModbusType.FLOAT64, RegisterOrder.CDAB).decode(response, 9))
        .isEqualTo(1.0);
  }

  @Test
  void scaleAndOffset() {
    ModbusPoint tenths =
        new ModbusPoint(ModbusTable.INPUT, 0, ModbusType.UINT16, null, null, 0.1, -40.0);
    // 650 = 0x028A; 650 * 0.1 - 40 = 25
    assertThat(tenths.decode(bytes(0x02, 0x8A), 0)).isCloseTo(25.0, offset(1e-9));
  }

  @Test
  void bits_ofRegistersAndOfBitTables() {
    ModbusPoint bit3 = new ModbusPoint(ModbusTable.HOLDING, 0, null, null, 3, null, null);
    assertThat(bit3.decode(bytes(0x00, 0x08), 0)).isEqualTo(1);
    assertThat(bit3.decode(bytes(0xFF, 0xF7), 0)).isEqualTo(0);
    ModbusPoint bit15 = new ModbusPoint(ModbusTable.HOLDING, 0, null, null, 15, null, null);
    assertThat(bit15.decode(bytes(0x80, 0x00), 0)).isEqualTo(1);
    // Coils 8..23 answered least significant bit first: 0b0000_0101, 0b1000_0000.
    byte[] coils = bytes(0x05, 0x80);
    assertThat(ModbusPoint.of(ModbusTable.COIL, 8, null).decode(coils, 8)).isEqualTo(1);
    assertThat(ModbusPoint.of(ModbusTable.COIL, 9, null).decode(coils, 8)).isEqualTo(0);
    assertThat(ModbusPoint.of(ModbusTable.COIL, 10, null).decode(coils, 8)).isEqualTo(1);
    assertThat(ModbusPoint.of(ModbusTable.DISCRETE, 23, null).decode(coils, 8)).isEqualTo(1);
  }

  @Test
  void wholeNumbers_forCountersAndClocks() {
    // A signed 16-bit counter past 32767 keeps counting as unsigned.
    assertThat(holding(0, ModbusType.INT16, null).whole(bytes(0x80, 0x01), 0)).isEqualTo(32769L);
    assertThat(holding(0, ModbusType.UINT64, null).whole(bytes(0x80, 0, 0, 0, 0, 0, 0, 0), 0))
        .isNull();
    // 2026-12-08T00:00:00Z = 1796688000000 ms = 0x000001A2_52F3_3400 (python3: hex(1796688000000))
    assertThat(
            holding(0, ModbusType.UINT64, null)
                .whole(bytes(0x00, 0x00, 0x01, 0xA2, 0x52, 0xF3, 0x34, 0x00), 0))
        .isEqualTo(1_796_688_000_000L);
    assertThat(holding(0, ModbusType.FLOAT32, null).whole(bytes(0, 0, 0, 0), 0)).isNull();
  }

  @Test
  void refusals_nameTheField() {
    assertThatThrownBy(
            () -> new ModbusPoint(ModbusTable.HOLDING, 70000, null, null, null, null, null))
        .isInstanceOf(InvalidFieldException.class)
        .hasMessageContaining("address");
    assertThatThrownBy(
            () ->
                new ModbusPoint(
                    ModbusTable.HOLDING, 65535, ModbusType.FLOAT32, null, null, null, null))
        .hasMessageContaining("address")
        .hasMessageContaining("past 65535");
    assertThatThrownBy(
            () -> new ModbusPoint(ModbusTable.COIL, 1, ModbusType.FLOAT32, null, null, null, null))
        .hasMessageContaining("type");
    assertThatThrownBy(
            () -> new ModbusPoint(ModbusTable.HOLDING, 1, ModbusType.FLOAT32, null, 4, null, null))
        .hasMessageContaining("type");
    assertThatThrownBy(() -> new ModbusPoint(ModbusTable.HOLDING, 1, null, null, 16, null, null))
        .hasMessageContaining("bit");
    assertThatThrownBy(() -> new ModbusPoint(ModbusTable.INPUT, 1, null, null, null, 0.0, null))
        .hasMessageContaining("scale");
    assertThatThrownBy(() -> new ModbusPoint(null, 1, null, null, null, null, null))
        .hasMessageContaining("table");
  }
}
