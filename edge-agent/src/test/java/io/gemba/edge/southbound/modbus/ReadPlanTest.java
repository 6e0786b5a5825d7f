package io.gemba.edge.southbound.modbus;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemba.edge.southbound.modbus.ReadPlan.Request;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadPlanTest {

  private static ModbusPoint holding(int address, ModbusType type) {
    return ModbusPoint.of(ModbusTable.HOLDING, address, type);
  }

  @Test
  void adjacentPointsShareARequest_gapsSplitThem() {
    ModbusPoint a = holding(0, ModbusType.UINT16);
    ModbusPoint b = holding(1, ModbusType.FLOAT32); // 1..2
    ModbusPoint c = holding(3, ModbusType.UINT16);
    ModbusPoint d = holding(5, ModbusType.UINT16); // one unused register before it
    ModbusPoint coil = ModbusPoint.of(ModbusTable.COIL, 4, null);
    ReadPlan plan = new ReadPlan(List.of(d, coil, c, b, a), 0);
    assertThat(plan.requests())
        .containsExactlyInAnyOrder(
            new Request(ModbusTable.HOLDING, 0, 4),
            new Request(ModbusTable.HOLDING, 5, 1),
            new Request(ModbusTable.COIL, 4, 1));
    assertThat(plan.requestOf(b)).isEqualTo(new Request(ModbusTable.HOLDING, 0, 4));
    assertThat(plan.requestOf(d)).isEqualTo(new Request(ModbusTable.HOLDING, 5, 1));
  }

  @Test
  void maxGap_readsOverUnusedRegisters() {
    ModbusPoint a = holding(0, ModbusType.UINT16);
    ModbusPoint b = holding(3, ModbusType.UINT16);
    ModbusPoint c = holding(10, ModbusType.UINT16);
    assertThat(new ReadPlan(List.of(a, b, c), 2).requests())
        .containsExactly(
            new Request(ModbusTable.HOLDING, 0, 4), new Request(ModbusTable.HOLDING, 10, 1));
  }

  @Test
  void requestsStayWithinTheProtocolsLimit() {
    List<ModbusPoint> points = new ArrayList<>();
    for (int address = 0; address < 300; address += 2) {
      points.add(holding(address, ModbusType.FLOAT32));
    }
    List<Request> requests = new ReadPlan(points, 0).requests();
    // 300 registers in whole float32s of two: 124 + 124 + 52.
    assertThat(requests)
        .containsExactly(
            new Request(ModbusTable.HOLDING, 0, 124),
            new Request(ModbusTable.HOLDING, 124, 124),
            new Request(ModbusTable.HOLDING, 248, 52));
    List<ModbusPoint> coils = new ArrayList<>();
    for (int address = 0; address < 2500; address++) {
      coils.add(ModbusPoint.of(ModbusTable.DISCRETE, address, null));
    }
    assertThat(new ReadPlan(coils, 0).requests())
        .containsExactly(
            new Request(ModbusTable.DISCRETE, 0, 2000),
            new Request(ModbusTable.DISCRETE, 2000, 500));
  }

  @Test
  void aPointReadTwice_overlapsInOneRequest() {
    ModbusPoint wide = holding(0, ModbusType.FLOAT64); // 0..3
    ModbusPoint inside = holding(2, ModbusType.UINT16);
    assertThat(new ReadPlan(List.of(wide, inside), 0).requests())
        .containsExactly(new Request(ModbusTable.HOLDING, 0, 4));
  }
}
