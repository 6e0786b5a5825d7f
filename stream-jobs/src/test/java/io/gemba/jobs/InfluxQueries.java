package io.gemba.jobs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.influxdb.InfluxDB;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;

/** InfluxQL helpers for the tests that read what the job stored in the {@code gemba} database. */
public final class InfluxQueries {

  private InfluxQueries() {}

  /** The first value of a one-row aggregate such as {@code SELECT count(x) FROM m}; 0 if empty. */
  public static long count(InfluxDB influx, String q) {
    List<Map<String, Object>> rows = rows(influx, q);
    return rows.isEmpty()
        ? 0
        : ((Number) rows.get(0).values().stream().skip(1).findFirst().orElse(0)).longValue();
  }

  /** The rows of the first series, column name to value, time first. */
  public static List<Map<String, Object>> rows(InfluxDB influx, String q) {
    QueryResult result = influx.query(new Query(q, "gemba"));
    if (result.getResults() == null || result.getResults().get(0).getSeries() == null) {
      return List.of();
    }
    QueryResult.Series series = result.getResults().get(0).getSeries().get(0);
    return series.getValues().stream()
        .map(
            values -> {
              Map<String, Object> row = new LinkedHashMap<>();
              for (int i = 0; i < series.getColumns().size(); i++) {
                row.put(series.getColumns().get(i), values.get(i));
              }
              return row;
            })
        .toList();
  }

  /**
   * How often tasks of the job were restarted: the attempt numbers of its tasks, summed. A job
   * whose tasks fail over region by region stays RUNNING, so its status says nothing about
   * restarts.
   */
  static int taskRestarts(
      org.apache.flink.runtime.minicluster.MiniCluster cluster,
      org.apache.flink.api.common.JobID job)
      throws Exception {
    int restarts = 0;
    for (var vertex : cluster.getArchivedExecutionGraph(job).get().getAllExecutionVertices()) {
      restarts += vertex.getCurrentExecutionAttempt().getAttemptNumber();
    }
    return restarts;
  }
}
