package io.gemba.api.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.influxdb.dto.QueryResult;

/** Reading InfluxQL results: series, rows by column name, and their values. */
final class InfluxRows {

  private InfluxRows() {}

  static List<QueryResult.Series> series(QueryResult result) {
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

  static List<Map<String, Object>> rows(QueryResult result) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (QueryResult.Series s : series(result)) {
      out.addAll(rows(s));
    }
    return out;
  }

  static List<Map<String, Object>> rows(QueryResult.Series series) {
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
  static long asLong(Object value) {
    return value == null ? 0 : ((Number) value).longValue();
  }

  static Double asDouble(Object value) {
    return value == null ? null : ((Number) value).doubleValue();
  }

  static String text(Object value) {
    return value == null ? "" : value.toString();
  }

  static double asDoubleOr0(Object value) {
    return value == null ? 0 : ((Number) value).doubleValue();
  }
}
