package io.gemba.connect;

/**
 * The names of Gemba's identities: the plant broker's users (as its password and ACL files name
 * them) and InfluxDB's users (docs/security.md#identities). On the plant broker's shared listener a
 * client's id is its user name, so each connection that must stay up beside another needs a user of
 * its own.
 */
public final class Identities {

  /** The KPI job: reads all telemetry, writes the KPI topics (on the job's own listener). */
  public static final String KPI_JOB = "gemba-kpi";

  /** The API's live feed: reads the KPI topics. */
  public static final String API = "gemba-api";

  /** The demo's simulated line-station PLCs: write their factory's {@code plant/...} topics. */
  public static final String SIMULATED_STATIONS = "gemba-sim-stations";

  /** A gateway's user for reading its line stations: its gateway id and this. */
  public static final String STATIONS_SUFFIX = "-stations";

  /** A gateway's user for its Sparkplug B output: its gateway id and this. */
  public static final String SPARKPLUG_SUFFIX = "-sparkplug";

  private Identities() {}

  /**
   * The default gateway of a factory (the park file's {@code gateways} when it names none), whose
   * broker user is its gateway id: writes that factory's telemetry.
   */
  public static String gateway(String factoryId) {
    return "gw-" + factoryId;
  }

  /** The same gateway reading its line stations from the plant broker (the demo's set-up). */
  public static String gatewayStations(String factoryId) {
    return gateway(factoryId) + STATIONS_SUFFIX;
  }

  /** The same gateway's optional Sparkplug B output: writes its own edge node's topics. */
  public static String gatewaySparkplug(String factoryId) {
    return gateway(factoryId) + SPARKPLUG_SUFFIX;
  }
}
