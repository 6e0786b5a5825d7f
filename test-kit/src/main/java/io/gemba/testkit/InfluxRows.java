package io.gemba.testkit;

import io.gemba.connect.InfluxConnect;
import io.gemba.connect.InfluxEndpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.influxdb.InfluxDB;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;

/**
 * Reads what a test stored in InfluxDB: InfluxQL in, rows by column name out, over every series of
 * the result with the series' tags folded into its rows. It connects as the platform does ({@link
 * InfluxConnect}: TLS against the CA file, the user's password from its file). An error in the
 * result is thrown, never read as "no rows".
 */
public final class InfluxRows implements AutoCloseable {

  /**
   * One row: column (or group-by tag) name to value. Times are RFC 3339 text; numbers arrive as
   * doubles, as InfluxDB's JSON gives them.
   */
  public record Row(Map<String, Object> columns) {

    public Row {
      columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
    }

    /** The value of {@code column}, or null when the row has none. */
    public Object get(String column) {
      return columns.get(column);
    }

    public String string(String column) {
      Object value = columns.get(column);
      return value == null ? null : value.toString();
    }

    /** The number in {@code column}, or null when there is none. */
    public Double number(String column) {
      Object value = columns.get(column);
      return value == null ? null : ((Number) value).doubleValue();
    }

    /**
     * The whole number in {@code column}.
     *
     * @throws IllegalStateException when the column is empty or not a whole number
     */
    public long whole(String column) {
      Double value = number(column);
      if (value == null || value != Math.rint(value)) {
        throw new IllegalStateException(
            "column " + column + " holds " + value + ", not a whole number, in " + columns);
      }
      return value.longValue();
    }

    /** The row's {@code time} column. */
    public Instant time() {
      return Instant.parse(string("time"));
    }
  }

  private final InfluxDB influx;
  private final String database;

  private InfluxRows(InfluxDB influx, String database) {
    this.influx = influx;
    this.database = database;
  }

  /** Reads {@code database} through {@code endpoint} (its user, password file and CA). */
  public static InfluxRows of(InfluxEndpoint endpoint, String database) {
    return new InfluxRows(
        InfluxConnect.connect(endpoint, Duration.ofSeconds(30), "influx"), database);
  }

  /** Reads {@code database} of an InfluxDB without authentication at {@code url}. */
  public static InfluxRows open(String url, String database) {
    return of(InfluxEndpoint.open(url), database);
  }

  /** The rows of every series of the first statement, series by series. */
  public List<Row> rows(String influxQl) {
    QueryResult result = influx.query(new Query(influxQl, database));
    if (result.getError() != null) {
      throw new IllegalStateException(influxQl + ": " + result.getError());
    }
    QueryResult.Result first = result.getResults().get(0);
    if (first.getError() != null) {
      throw new IllegalStateException(influxQl + ": " + first.getError());
    }
    List<Row> rows = new ArrayList<>();
    if (first.getSeries() == null) {
      return rows;
    }
    for (QueryResult.Series series : first.getSeries()) {
      for (List<Object> values : series.getValues()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < series.getColumns().size(); i++) {
          row.put(series.getColumns().get(i), values.get(i));
        }
        if (series.getTags() != null) {
          series.getTags().forEach(row::putIfAbsent);
        }
        rows.add(new Row(row));
      }
    }
    return rows;
  }

  /**
   * The single figure of a one-row aggregate such as {@code SELECT count(x) FROM m}: the first
   * column after {@code time} of the first row; 0 when there are no rows (InfluxDB returns none for
   * a count over nothing).
   */
  public long count(String influxQl) {
    List<Row> rows = rows(influxQl);
    if (rows.isEmpty()) {
      return 0;
    }
    String column =
        rows.get(0).columns().keySet().stream()
            .filter(c -> !c.equals("time"))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException(influxQl + " returned only times"));
    return rows.get(0).whole(column);
  }

  @Override
  public void close() {
    influx.close();
  }
}
