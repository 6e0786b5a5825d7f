package io.gemba.api.store;

import static io.gemba.api.store.InfluxRows.asDouble;
import static io.gemba.api.store.InfluxRows.asLong;
import static io.gemba.api.store.InfluxRows.rows;
import static io.gemba.api.store.InfluxRows.series;

import io.gemba.model.storage.Schema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.influxdb.InfluxDB;
import org.influxdb.dto.BoundParameterQuery;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;

/**
 * Machines' states and latest signal values in InfluxDB: live values, state spans, the latest
 * state.
 */
final class InfluxMachineStates {

  private final InfluxDB influx;
  private final String database;

  InfluxMachineStates(InfluxDB influx, String database) {
    this.influx = influx;
    this.database = database;
  }

  MachineLive machineLive(String machineId, long now, long lookbackMs) {
    long from = now - lookbackMs;
    Query stateQuery =
        BoundParameterQuery.QueryBuilder.newQuery(
                "SELECT LAST(state) FROM "
                    + Schema.MACHINE_STATE
                    + " WHERE machine = $machine AND time >= "
                    + from
                    + "ms")
            .forDatabase(database)
            .bind("machine", machineId)
            .create();
    List<Map<String, Object>> state = rows(influx.query(stateQuery, TimeUnit.MILLISECONDS));
    Query signalQuery =
        BoundParameterQuery.QueryBuilder.newQuery(
                "SELECT LAST(value) AS value, quality FROM "
                    + Schema.TELEMETRY
                    + " WHERE machine = $machine AND"
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
        Double value = asDouble(row.get(Schema.VALUE));
        if (value != null) {
          signals.put(
              signal,
              new MachineLive.SignalSample(
                  value, asLong(row.get("time")), String.valueOf(row.get(Schema.QUALITY))));
        }
      }
    }
    if (state.isEmpty()) {
      return new MachineLive(null, null, signals);
    }
    Map<String, Object> last = state.get(0);
    return new MachineLive((String) last.get("last"), asLong(last.get("time")), signals);
  }

  List<StateSpan> stateHistory(String machineId, long from, long to, long lookbackMs) {
    Query before =
        BoundParameterQuery.QueryBuilder.newQuery(
                "SELECT LAST(state) AS state, reason FROM "
                    + Schema.MACHINE_STATE
                    + " WHERE machine = $machine"
                    + " AND time >= "
                    + (from - lookbackMs)
                    + "ms AND time < "
                    + from
                    + "ms")
            .forDatabase(database)
            .bind("machine", machineId)
            .create();
    Query within =
        BoundParameterQuery.QueryBuilder.newQuery(
                "SELECT state, reason FROM "
                    + Schema.MACHINE_STATE
                    + " WHERE machine = $machine AND time >= "
                    + from
                    + "ms AND time < "
                    + to
                    + "ms")
            .forDatabase(database)
            .bind("machine", machineId)
            .create();
    List<Map<String, Object>> changes = new ArrayList<>();
    for (Map<String, Object> row : rows(influx.query(before, TimeUnit.MILLISECONDS))) {
      row.put("time", (double) from);
      changes.add(row);
    }
    changes.addAll(rows(influx.query(within, TimeUnit.MILLISECONDS)));
    List<StateSpan> spans = new ArrayList<>();
    for (int i = 0; i < changes.size(); i++) {
      Map<String, Object> row = changes.get(i);
      long end = i + 1 < changes.size() ? asLong(changes.get(i + 1).get("time")) : to;
      Object reason = row.get(Schema.REASON);
      spans.add(
          new StateSpan(
              asLong(row.get("time")),
              end,
              String.valueOf(row.get(Schema.STATE)),
              reasonOf(reason)));
    }
    return spans;
  }

  List<LatestState> latestStates(String factoryId, long now, long lookbackMs) {
    Query query =
        BoundParameterQuery.QueryBuilder.newQuery(
                "SELECT LAST(state) AS state, reason FROM "
                    + Schema.MACHINE_STATE
                    + " WHERE factory = $factory"
                    + " AND time >= "
                    + (now - lookbackMs)
                    + "ms GROUP BY machine")
            .forDatabase(database)
            .bind("factory", factoryId)
            .create();
    List<LatestState> out = new ArrayList<>();
    for (QueryResult.Series s : series(influx.query(query, TimeUnit.MILLISECONDS))) {
      for (Map<String, Object> row : rows(s)) {
        Object reason = row.get(Schema.REASON);
        out.add(
            new LatestState(
                s.getTags().get("machine"),
                String.valueOf(row.get(Schema.STATE)),
                asLong(row.get("time")),
                reasonOf(reason)));
      }
    }
    return out;
  }

  /** A stop reason as stored, or null where none was given. */
  private static String reasonOf(Object reason) {
    return reason == null || reason.toString().isEmpty() ? null : reason.toString();
  }
}
