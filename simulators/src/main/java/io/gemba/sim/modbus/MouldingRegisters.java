package io.gemba.sim.modbus;

import io.gemba.model.asset.StopReason;
import io.gemba.sim.cnc.NodeUpdate;
import io.gemba.sim.machine.SimulatedMachine;
import io.gemba.sim.moulding.MouldingMachine;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;

/**
 * The register map of a simulated injection moulding machine, as its controller's manual would
 * print it, and the machine entry of a gateway file that reads it (docs/gateway-config.md#modbus).
 *
 * <pre>
 * holding 0      state code (uint16: 1 producing, 2 idle, 3 down, 4 setup, 5 planned stop)
 * holding 1      stop reason code (uint16: 0 none, see REASONS)
 * holding 2      shot counter (uint16, wraps at 65536)
 * holding 3      reject counter (uint16)
 * holding 4-7    controller clock (uint64, epoch ms)
 * holding 8-11   time of the last state change (uint64, epoch ms)
 * holding 12-15  time of the last shot (uint64, epoch ms)
 * input 0-1      melt temperature, Cel (float32 ABCD)
 * input 2        injection pressure, 0.1 bar (uint16)
 * input 3        mould temperature, 0.1 Cel (int16)
 * input 4-5      last cycle time, s (float32 ABCD)
 * input 100-101  power, kW (float32 CDAB, the energy meter's word order)
 * input 102-103  energy, 0.01 kWh (uint32 CDAB)
 * </pre>
 */
public final class MouldingRegisters {

  /**
   * The shot counter's value before the first shot: close to the top, so that it wraps within
   * minutes of a simulation's start.
   */
  public static final int SHOT_COUNTER_START = 65_528;

  private long total;
  private long good;

  /** Writes the registers of one machine's updates of a tick, and the clock at {@code now}. */
  public void apply(ModbusDevices.Unit unit, List<NodeUpdate> updates, long now) {
    unit.write(
        w -> {
          for (NodeUpdate u : updates) {
            write(w, u);
          }
          w.holding(4, u64(now));
        });
  }

  private void write(ModbusDevices.Writer w, NodeUpdate u) {
    switch (u.variable()) {
      case SimulatedMachine.STATE ->
          w.holding(0, u16(((Number) u.value()).intValue())).holding(8, u64(u.ts()));
      case SimulatedMachine.STOP_REASON -> w.holding(1, u16(reasonCode((String) u.value())));
      case SimulatedMachine.PARTS_TOTAL -> {
        total = ((Number) u.value()).longValue();
        w.holding(2, u16((int) ((SHOT_COUNTER_START + total) % 65_536)))
            .holding(3, u16((int) (total - good)))
            .holding(12, u64(u.ts()));
      }
      case SimulatedMachine.PARTS_GOOD -> {
        good = ((Number) u.value()).longValue();
        w.holding(3, u16((int) (total - good)));
      }
      case MouldingMachine.MELT_TEMPERATURE -> w.input(0, f32(u));
      case MouldingMachine.INJECTION_PRESSURE -> w.input(2, u16((int) Math.round(number(u) * 10)));
      case MouldingMachine.MOULD_TEMPERATURE -> w.input(3, u16((int) Math.round(number(u) * 10)));
      case MouldingMachine.CYCLE_TIME -> w.input(4, f32(u));
      case MouldingMachine.POWER -> w.input(100, wordsSwapped(f32(u)));
      case MouldingMachine.ENERGY ->
          w.input(
              102,
              wordsSwapped(
                  ByteBuffer.allocate(4).putInt((int) Math.round(number(u) * 100)).array()));
      default -> {
        // A variable the controller does not expose.
      }
    }
  }

  /**
   * The code of a stop reason on the wire: 0 for none, else its place in {@link StopReason} + 1.
   */
  public static int reasonCode(String wireName) {
    if (wireName == null || wireName.isEmpty()) {
      return 0;
    }
    return StopReason.valueOf(wireName.toUpperCase(Locale.ROOT)).ordinal() + 1;
  }

  /**
   * The {@code modbus:} section of a gateway file that reads one machine at {@code endpoint} and
   * {@code unit}, indented for a machine entry.
   */
  public static String gatewayEntry(String endpoint, int unit) {
    StringBuilder reasons = new StringBuilder();
    for (StopReason r : StopReason.values()) {
      reasons
          .append(reasons.length() == 0 ? "" : ", ")
          .append(r.ordinal() + 1)
          .append(": ")
          .append(r.wireName());
    }
    return "    modbus:\n"
        + "      endpoint: "
        + endpoint
        + "\n      unitId: "
        + unit
        + "\n      intervalMs: 100\n"
        + "      groups: { meter: 1000 }\n"
        + "      clock: { table: holding, address: 4, type: uint64 }\n"
        + "      signals:\n"
        + "        - { name: melt_temperature, table: input, address: 0, type: float32 }\n"
        + "        - { name: injection_pressure, table: input, address: 2, scale: 0.1 }\n"
        + "        - { name: mould_temperature, table: input, address: 3, type: int16, scale: 0.1 }\n"
        + "        - { name: cycle_time, table: input, address: 4, type: float32 }\n"
        + "        - { name: power, table: input, address: 100, type: float32, order: CDAB, group: meter }\n"
        + "        - { name: energy, table: input, address: 102, type: uint32, order: CDAB, scale: 0.01, group: meter }\n"
        + "      state:\n"
        + "        table: holding\n"
        + "        address: 0\n"
        + "        map: { 1: producing, 2: idle, 3: down, 4: setup, 5: planned_stop }\n"
        + "        reason: { table: holding, address: 1 }\n"
        + "        reasons: { "
        + reasons
        + " }\n"
        + "        since: { table: holding, address: 8, type: uint64 }\n"
        + "      counters:\n"
        + "        total: { table: holding, address: 2 }\n"
        + "        reject: { table: holding, address: 3 }\n"
        + "        since: { table: holding, address: 12, type: uint64 }\n";
  }

  private static double number(NodeUpdate u) {
    return ((Number) u.value()).doubleValue();
  }

  private static byte[] u16(int v) {
    return ByteBuffer.allocate(2).putShort((short) v).array();
  }

  private static byte[] u64(long v) {
    return ByteBuffer.allocate(8).putLong(v).array();
  }

  private static byte[] f32(NodeUpdate u) {
    return ByteBuffer.allocate(4).putFloat((float) number(u)).array();
  }

  private static byte[] wordsSwapped(byte[] abcd) {
    return new byte[] {abcd[2], abcd[3], abcd[0], abcd[1]};
  }
}
