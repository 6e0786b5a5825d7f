package io.gemba.api.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.InfluxDBIOException;
import org.influxdb.dto.BoundParameterQuery;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;

/**
 * Reads the KPI job's measurements over InfluxDB's v1 HTTP API with InfluxQL. Machine ids are bound
 * as query parameters, never spliced into query text.
 */
public final class InfluxKpiStore implements KpiStore {

  private final InfluxDB influx;
  private final String database;

  public InfluxKpiStore(String url, String database) {
    this.influx = InfluxDBFactory.connect(url);
    this.database = database;
  }

  @Override
  public List<OeePoint> machineOee(String machineId, long from, long to) {
    Query query =
        BoundParameterQuery.QueryBuilder.newQuery(
                "SELECT availability, performance, quality, oee, coverage, planned_ms, run_ms,"
                    + " total_count, good_count FROM oee WHERE machine = $machine AND \"window\" ="
                    + " '1m' AND time >= "
                    + from
                    + "ms AND time < "
                    + to
                    + "ms ORDER BY time ASC")
            .forDatabase(database)
            .bind("machine", machineId)
            .create();
    List<OeePoint> out = new ArrayList<>();
    for (Map<String, Object> row : rows(influx.query(query, TimeUnit.MILLISECONDS))) {
      long start = asLong(row.get("time"));
      out.add(
          new OeePoint(
              start,
              start + 60_000,
              asDouble(row.get("availability")),
              asDouble(row.get("performance")),
              asDouble(row.get("quality")),
              asDouble(row.get("oee")),
              asDouble(row.get("coverage")),
              asLong(row.get("planned_ms")),
              asLong(row.get("run_ms")),
              asLong(row.get("total_count")),
              asLong(row.get("good_count"))));
    }
    return out;
  }

  @Override
  public MachineLive machineLive(String machineId, long now, long lookbackMs) {
    long from = now - lookbackMs;
    Query stateQuery =
        BoundParameterQuery.QueryBuilder.newQuery(
                "SELECT LAST(state) FROM machine_state WHERE machine = $machine AND time >= "
                    + from
                    + "ms")
            .forDatabase(database)
            .bind("machine", machineId)
            .create();
    List<Map<String, Object>> state = rows(influx.query(stateQuery, TimeUnit.MILLISECONDS));
    Query signalQuery =
        BoundParameterQuery.QueryBuilder.newQuery(
                "SELECT LAST(value) AS value, quality FROM telemetry WHERE machine = $machine AND"
                    + " time >= "
                    + from
                    + "ms GROUP BY signal")
            .forDatabase(database)
            .bind("machine", machineId)
            .create();
    Map<String, MachineLive.SignalSample> signals = new LinkedHashMap<>();
    QueryResult result = influx.query(signalQuery, TimeUnit.MILLISECONDS);
    for (QueryResult.Series series : series(result)) {
      String signal = series.getTags() == null ? "value" : series.getTags().get("signal");
      for (Map<String, Object> row : rows(series)) {
        Double value = asDouble(row.get("value"));
        if (value != null) {
          signals.put(
              signal,
              new MachineLive.SignalSample(
                  value, asLong(row.get("time")), String.valueOf(row.get("quality"))));
        }
      }
    }
    if (state.isEmpty()) {
      return new MachineLive(null, null, signals);
    }
    Map<String, Object> last = state.get(0);
    return new MachineLive((String) last.get("last"), asLong(last.get("time")), signals);
  }

  @Override
  public boolean ping() {
    try {
      return influx.ping().isGood();
    } catch (InfluxDBIOException e) {
      return false;
    }
  }

  private static List<QueryResult.Series> series(QueryResult result) {
    if (result.hasError()) {
      throw new IllegalStateException("InfluxDB query failed: " + result.getError());
    }
    if (result.getResults() == null || result.getResults().isEmpty()) {
      return List.of();
    }
    QueryResult.Result first = result.getResults().get(0);
    if (first.hasError()) {
      throw new IllegalStateException("InfluxDB query failed: " + first.getError());
    }
    return first.getSeries() == null ? List.of() : first.getSeries();
  }

  private static List<Map<String, Object>> rows(QueryResult result) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (QueryResult.Series s : series(result)) {
      out.addAll(rows(s));
    }
    return out;
  }

  private static List<Map<String, Object>> rows(QueryResult.Series series) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (List<Object> values : series.getValues()) {
      Map<String, Object> row = new LinkedHashMap<>();
      for (int i = 0; i < series.getColumns().size(); i++) {
        row.put(series.getColumns().get(i), values.get(i));
      }
      out.add(row);
    }
    return out;
  }

  // With millisecond precision influxdb-java returns numbers, the time column included, as Double.
  private static long asLong(Object value) {
    return value == null ? 0 : ((Number) value).longValue();
  }

  private static Double asDouble(Object value) {
    return value == null ? null : ((Number) value).doubleValue();
  }

  @Override
  public void close() {
    influx.close();
  }
}
