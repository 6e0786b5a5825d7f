package io.gemba.sim.modbus;

import io.gemba.model.asset.MachineKind;
import io.gemba.model.asset.MachinePlacement;
import io.gemba.model.asset.Park;
import io.gemba.sim.cnc.NodeUpdate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The park's machines served over Modbus TCP: all behind one port, as behind a plant-floor Modbus
 * gateway, each machine at its own unit id (the park's moulding machines numbered from 1 in file
 * order).
 */
public final class ModbusMachines implements AutoCloseable {

  private final ModbusDevices devices;
  private final Map<String, Integer> units;
  private final Map<String, MouldingRegisters> registers = new LinkedHashMap<>();

  private ModbusMachines(ModbusDevices devices, Map<String, Integer> units) {
    this.devices = devices;
    this.units = units;
    units.keySet().forEach(id -> registers.put(id, new MouldingRegisters()));
  }

  /** Serves {@code park}'s Modbus machines on {@code host:port}. */
  public static ModbusMachines start(Park park, String host, int port) {
    return new ModbusMachines(ModbusDevices.start(host, port), unitIds(park));
  }

  /** The unit id of each of the park's machines read over Modbus, in file order from 1. */
  public static Map<String, Integer> unitIds(Park park) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (MachinePlacement p : park.placements()) {
      if (p.machine().kind() == MachineKind.INJECTION_MOULDING) {
        if (out.size() == 247) {
          throw new IllegalArgumentException(
              "more than 247 moulding machines: one Modbus port serves unit ids 1 to 247");
        }
        out.put(p.machine().id(), out.size() + 1);
      }
    }
    return out;
  }

  public boolean serves(String machineId) {
    return units.containsKey(machineId);
  }

  /** Writes a machine's updates of one tick, and its clock at {@code now} (simulated time). */
  public void apply(String machineId, List<NodeUpdate> updates, long now) {
    registers.get(machineId).apply(devices.unit(units.get(machineId)), updates, now);
  }

  public int port() {
    return devices.port();
  }

  @Override
  public void close() {
    devices.close();
  }
}
