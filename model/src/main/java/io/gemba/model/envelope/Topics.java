package io.gemba.model.envelope;

import java.util.Optional;

/**
 * The MQTT topic scheme, version 1: {@code gemba/v1/<factory>/<line>/<machine>/telemetry} for
 * envelopes from gateways; {@code .../kpi/<kind>} for what the KPI job publishes live, per machine
 * ({@code gemba/v1/<factory>/<line>/<machine>/kpi/oee}), line ({@code
 * gemba/v1/<factory>/<line>/kpi/oee}), factory ({@code gemba/v1/<factory>/kpi/oee}) and park
 * ({@code gemba/v1/kpi/oee}). Ids are restricted to lower-case letters, digits, {@code -} and
 * {@code _}, so they never contain the MQTT separators or wildcards.
 */
public final class Topics {

  public static final String ROOT = "gemba/v1";

  /** Filter matching the telemetry of every machine of every factory. */
  public static final String ALL_TELEMETRY = ROOT + "/+/+/+/telemetry";

  private Topics() {}

  public static String telemetry(MachineRef machine) {
    return ROOT
        + "/"
        + machine.factory()
        + "/"
        + machine.line()
        + "/"
        + machine.id()
        + "/telemetry";
  }

  /** Filter matching the telemetry of every machine of one factory. */
  public static String factoryTelemetry(String factory) {
    return ROOT + "/" + factory + "/+/+/telemetry";
  }

  /** A live KPI topic of a machine, e.g. {@code kind} {@code oee} or {@code anomaly}. */
  public static String machineKpi(String factory, String line, String machine, String kind) {
    return ROOT + "/" + factory + "/" + line + "/" + machine + "/kpi/" + kind;
  }

  /** A live KPI topic of a line. */
  public static String lineKpi(String factory, String line, String kind) {
    return ROOT + "/" + factory + "/" + line + "/kpi/" + kind;
  }

  /** A live KPI topic of a factory. */
  public static String factoryKpi(String factory, String kind) {
    return ROOT + "/" + factory + "/kpi/" + kind;
  }

  /** A live KPI topic of the park. */
  public static String parkKpi(String kind) {
    return ROOT + "/kpi/" + kind;
  }

  /** Parses a telemetry topic; empty when the topic is not one. */
  public static Optional<MachineRef> parseTelemetry(String topic) {
    String[] parts = topic.split("/", -1);
    if (parts.length != 6
        || !"gemba".equals(parts[0])
        || !"v1".equals(parts[1])
        || !"telemetry".equals(parts[5])) {
      return Optional.empty();
    }
    try {
      return Optional.of(new MachineRef(parts[2], parts[3], parts[4]));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
