package io.gemba.jobs;

import java.util.List;
import java.util.Map;
import org.influxdb.InfluxDB;

/** The integration test's InfluxQL helpers, for tests in other packages. */
public final class KpiJobIntegrationTestAccess {

  private KpiJobIntegrationTestAccess() {}

  public static long count(InfluxDB influx, String q) {
    return KpiJobIntegrationTest.count(influx, q);
  }

  public static List<Map<String, Object>> rows(InfluxDB influx, String q) {
    return KpiJobIntegrationTest.rows(influx, q);
  }
}
