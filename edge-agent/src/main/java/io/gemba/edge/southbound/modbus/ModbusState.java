package io.gemba.edge.southbound.modbus;

import io.gemba.model.asset.MachineState;
import io.gemba.model.config.InvalidFieldException;
import java.util.List;
import java.util.Map;

/**
 * Where the machine's state is read: a register whose codes {@code map} names, e.g. {@code { table:
 * holding, address: 0, map: { 1: producing, 2: idle, 3: down } }}, or {@code bits} checked in
 * order, the first that is set naming the state, and {@code otherwise} when none is.
 *
 * @param reason optional register holding a stop reason code
 * @param reasons the text of each reason code; a code not listed is sent as its number, 0 as none
 * @param since optional register with the device's time of its last state change, epoch
 *     milliseconds (64-bit) or seconds (32-bit); dates the state instead of the poll
 * @param group the polling group that reads state, reason and since
 */
public record ModbusState(
    ModbusTable table,
    Integer address,
    ModbusType type,
    RegisterOrder order,
    Map<Long, MachineState> map,
    List<StateBit> bits,
    MachineState otherwise,
    ModbusPoint reason,
    Map<Long, String> reasons,
    ModbusPoint since,
    String group) {

  /** One bit that, when set, means {@code state}. */
  public record StateBit(ModbusTable table, Integer address, Integer bit, MachineState state) {
    public StateBit {
      new ModbusPoint(table, address, null, null, bit, null, null);
      if (state == null) {
        throw new InvalidFieldException("state", "expected the state this bit means, e.g. down");
      }
    }

    ModbusPoint point() {
      return new ModbusPoint(table, address, null, null, bit, null, null);
    }
  }

  public ModbusState {
    bits = bits == null ? List.of() : List.copyOf(bits);
    map = map == null ? Map.of() : Map.copyOf(map);
    reasons = reasons == null ? Map.of() : Map.copyOf(reasons);
    if (table != null) {
      if (!bits.isEmpty()) {
        throw new InvalidFieldException(
            "bits", "expected either a register with a map, or bits, not both");
      }
      ModbusPoint point = new ModbusPoint(table, address, type, order, null, null, null);
      if (!point.type().integer()) {
        throw new InvalidFieldException(
            "type", "expected an integer type for state codes, got " + point.type().wireName());
      }
      if (map.isEmpty()) {
        throw new InvalidFieldException(
            "map", "expected codes mapped to states, e.g. { 1: producing, 2: idle, 3: down }");
      }
    } else if (bits.isEmpty()) {
      throw new InvalidFieldException(
          "table", "expected a register (table, address, map) or bits for the state");
    } else if (otherwise == null) {
      throw new InvalidFieldException(
          "otherwise", "expected the state when none of the bits is set, e.g. idle");
    }
    if (reason != null && !reason.type().integer()) {
      throw new InvalidFieldException(
          "reason", "expected a register of reason codes, got " + reason.type().wireName());
    }
    if (!reasons.isEmpty() && reason == null) {
      throw new InvalidFieldException("reason", "reasons are given but no reason register");
    }
    Clocks.require("since", since);
  }

  /** The register of state codes; null when the state comes from bits. */
  public ModbusPoint point() {
    return table == null ? null : new ModbusPoint(table, address, type, order, null, null, null);
  }

  public MachineState stateOf(long code) {
    return map.getOrDefault(code, MachineState.UNKNOWN);
  }

  /** The text of a reason code: from {@code reasons}, else the number; null for 0. */
  public String reasonOf(long code) {
    if (code == 0 && !reasons.containsKey(0L)) {
      return null;
    }
    return reasons.getOrDefault(code, Long.toString(code));
  }
}
