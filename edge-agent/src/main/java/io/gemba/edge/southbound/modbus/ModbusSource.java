package io.gemba.edge.southbound.modbus;

import static io.gemba.model.config.InvalidFieldException.requireText;

import io.gemba.model.config.InvalidFieldException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A machine read over Modbus TCP: its points polled in groups, each group at its own interval, with
 * neighbouring addresses of a table read in one request.
 *
 * @param endpoint {@code tcp://host:port}; port 502 when absent
 * @param unitId the unit (slave) id behind the endpoint, 0 to 255 (default 1)
 * @param timeoutMs how long a request may take before it counts as failed (default 1000)
 * @param intervalMs the poll interval of points without a group (default 1000)
 * @param groups further polling groups by name, each with its interval in ms, e.g. {@code { fast:
 *     100, slow: 5000 }}
 * @param maxGap unused registers (or bits) one request may read over to join two points (default 0:
 *     only adjacent points share a request, since many devices refuse unmapped addresses)
 * @param clock optional register with the device's clock (epoch ms in 64 bits or seconds in 32);
 *     dates every poll instead of the gateway's clock, and is read by every group
 */
public record ModbusSource(
    String endpoint,
    Integer unitId,
    Integer timeoutMs,
    Integer intervalMs,
    Map<String, Integer> groups,
    Integer maxGap,
    ModbusPoint clock,
    List<ModbusSignal> signals,
    ModbusState state,
    ModbusCounters counters) {

  /** The name of the group of points that name none. */
  public static final String DEFAULT_GROUP = "default";

  public ModbusSource {
    requireText("endpoint", endpoint);
    ModbusEndpoint.parse("endpoint", endpoint);
    unitId = unitId == null ? 1 : unitId;
    if (unitId < 0 || unitId > 255) {
      throw new InvalidFieldException("unitId", "expected 0 to 255, got " + unitId);
    }
    timeoutMs = timeoutMs == null ? 1000 : timeoutMs;
    if (timeoutMs < 10 || timeoutMs > 60_000) {
      throw new InvalidFieldException("timeoutMs", "expected 10 to 60000, got " + timeoutMs);
    }
    intervalMs = intervalMs == null ? 1000 : intervalMs;
    requireInterval("intervalMs", intervalMs);
    groups = groups == null ? Map.of() : Map.copyOf(groups);
    for (Map.Entry<String, Integer> g : groups.entrySet()) {
      if (DEFAULT_GROUP.equals(g.getKey())) {
        throw new InvalidFieldException(
            "groups." + DEFAULT_GROUP, "is the group of intervalMs: set intervalMs instead");
      }
      requireInterval("groups." + g.getKey(), g.getValue());
    }
    maxGap = maxGap == null ? 0 : maxGap;
    if (maxGap < 0 || maxGap > 124) {
      throw new InvalidFieldException("maxGap", "expected 0 to 124, got " + maxGap);
    }
    Clocks.require("clock", clock);
    signals = signals == null ? List.of() : List.copyOf(signals);
    Set<String> names = new HashSet<>();
    for (int i = 0; i < signals.size(); i++) {
      ModbusSignal s = signals.get(i);
      if (!names.add(s.name())) {
        throw new InvalidFieldException(
            "signals[" + i + "].name", "duplicate signal '" + s.name() + "'");
      }
      requireGroup("signals[" + i + "].group", s.group(), groups);
    }
    if (state != null) {
      requireGroup("state.group", state.group(), groups);
    }
    if (counters != null) {
      requireGroup("counters.group", counters.group(), groups);
    }
    if (signals.isEmpty() && state == null && counters == null) {
      throw new InvalidFieldException(
          "signals", "expected at least one of signals, state or counters");
    }
  }

  private static void requireInterval(String field, Integer ms) {
    if (ms == null || ms < 10 || ms > 3_600_000) {
      throw new InvalidFieldException(field, "expected an interval of 10 to 3600000 ms, got " + ms);
    }
  }

  private static void requireGroup(String field, String group, Map<String, Integer> groups) {
    if (group != null && !DEFAULT_GROUP.equals(group) && !groups.containsKey(group)) {
      throw new InvalidFieldException(
          field, "no polling group '" + group + "'; expected one of groups " + groups.keySet());
    }
  }

  /** Every polling group by name with its interval in ms, the default group first. */
  public Map<String, Integer> intervals() {
    Map<String, Integer> out = new LinkedHashMap<>();
    out.put(DEFAULT_GROUP, intervalMs);
    out.putAll(groups);
    return out;
  }

  /** The group a point of {@code group} is polled by. */
  public static String groupOf(String group) {
    return group == null ? DEFAULT_GROUP : group;
  }

  public String host() {
    return ModbusEndpoint.parse("endpoint", endpoint).host();
  }

  public int port() {
    return ModbusEndpoint.parse("endpoint", endpoint).port();
  }
}
