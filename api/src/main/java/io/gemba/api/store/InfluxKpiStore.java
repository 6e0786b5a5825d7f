package io.gemba.api.store;

import static io.gemba.api.store.InfluxRows.asDoubleOr0;
import static io.gemba.api.store.InfluxRows.asLong;
import static io.gemba.api.store.InfluxRows.rows;
import static io.gemba.api.store.InfluxRows.series;

import io.gemba.connect.InfluxConnect;
import io.gemba.connect.InfluxEndpoint;
import io.gemba.model.oee.OeeTotals;
import io.gemba.model.oee.StateTimes;
import io.gemba.model.storage.Schema;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.influxdb.InfluxDB;
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
  private final InfluxEvents events;
  private final InfluxMachineStates machines;

  /**
   * @param database the KPI job's database, which the API only reads
   * @param actionsDatabase where what people do (acknowledgements) is kept: the only database the
   *     API writes
   * @param queryTimeout how long one query may take before it fails (the store then answers 503)
   */
  public InfluxKpiStore(
      InfluxEndpoint endpoint, String database, String actionsDatabase, Duration queryTimeout) {
    this.influx = InfluxConnect.connect(endpoint, queryTimeout, "--influx");
    this.database = database;
    this.events = new InfluxEvents(influx, database, actionsDatabase);
    this.machines = new InfluxMachineStates(influx, database);
  }

  private static final String TIMES =
      "sum(planned_ms) AS planned_ms, sum(run_ms) AS run_ms, sum(known_planned_ms) AS"
          + " known_planned_ms, sum(total_count) AS total_count, sum(good_count) AS good_count,"
          + " sum(producing_ms) AS producing_ms, sum(idle_ms) AS idle_ms, sum(down_ms) AS down_ms,"
          + " sum(setup_ms) AS setup_ms, sum(planned_stop_ms) AS planned_stop_ms,"
          + " sum(small_stop_ms) AS small_stop_ms";

  @Override
  public List<OeeWindow> oee(
      Scope scope, String window, long from, long to, ZoneId zone, double idealCycleMs) {
    if (window.equals("shift")) {
      return shifts(scope, from, to, idealCycleMs);
    }
    String sums =
        TIMES
            + (scope.isMachine()
                ? ", sum(startup_rejects) AS startup_rejects"
                : ", sum(net_run_ms) AS net_run_ms, sum(fully_productive_ms) AS"
                    + " fully_productive_ms, sum(startup_reject_ms) AS startup_reject_ms");
    String interval =
        switch (window) {
          case "1m" -> "1m";
          case "1h" -> "1h";
          default -> "1d";
        };
    BoundParameterQuery.QueryBuilder q =
        BoundParameterQuery.QueryBuilder.newQuery(
            "SELECT "
                + sums
                + " FROM "
                + measurementOf(scope)
                + " WHERE "
                + filterOf(scope)
                + " AND time >= "
                + from
                + "ms AND time < "
                + to
                + "ms GROUP BY time("
                + interval
                + ") fill(none) tz('"
                + zone.getId()
                + "')");
    List<OeeWindow> out = new ArrayList<>();
    for (Map<String, Object> row : rows(influx.query(bind(q, scope), TimeUnit.MILLISECONDS))) {
      long start = asLong(row.get("time"));
      long end =
          switch (window) {
            case "1m" -> start + 60_000;
            case "1h" -> start + 3_600_000;
            default ->
                Instant.ofEpochMilli(start).atZone(zone).plusDays(1).toInstant().toEpochMilli();
          };
      out.add(new OeeWindow(start, end, null, totals(row, scope, idealCycleMs)));
    }
    return out;
  }

  /** The shift-to-date points of shifts that began in {@code [from, to)}. */
  private List<OeeWindow> shifts(Scope scope, long from, long to, double idealCycleMs) {
    BoundParameterQuery.QueryBuilder q =
        BoundParameterQuery.QueryBuilder.newQuery(
            "SELECT * FROM "
                + Schema.OEE_SHIFT
                + " WHERE scope = $kind AND id = $id"
                + (scope.isMachine() ? "" : " AND factory = $factory")
                + " AND time >= "
                + from
                + "ms AND time < "
                + to
                + "ms");
    q.forDatabase(database).bind("kind", scope.kind()).bind("id", scope.id());
    if (!scope.isMachine()) {
      q.bind("factory", scope.factory());
    }
    List<OeeWindow> out = new ArrayList<>();
    for (Map<String, Object> row : rows(influx.query(q.create(), TimeUnit.MILLISECONDS))) {
      out.add(
          new OeeWindow(
              asLong(row.get("time")),
              asLong(row.get(Schema.SHIFT_END_MS)),
              (String) row.get(Schema.SHIFT),
              totals(row, new Scope("line", "", ""), idealCycleMs)));
    }
    return out;
  }

  private static String measurementOf(Scope scope) {
    return scope.isMachine() ? Schema.OEE : Schema.OEE_ROLLUP;
  }

  private static String filterOf(Scope scope) {
    return switch (scope.kind()) {
      case "machine" -> "machine = $id";
      case "line" -> "scope = 'line' AND id = $id AND factory = $factory";
      default -> "scope = '" + scope.kind() + "' AND id = $id";
    };
  }

  private Query bind(BoundParameterQuery.QueryBuilder q, Scope scope) {
    q.forDatabase(database).bind("id", scope.id());
    if (scope.kind().equals("line")) {
      q.bind("factory", scope.factory());
    }
    return q.create();
  }

  /** A row's sums as totals; a machine's ideal-time sums come from its ideal cycle time. */
  private static OeeTotals totals(Map<String, Object> row, Scope scope, double idealCycleMs) {
    long total = asLong(row.get(Schema.TOTAL_COUNT));
    long good = asLong(row.get(Schema.GOOD_COUNT));
    boolean machine = scope.isMachine();
    return new OeeTotals(
        asLong(row.get(Schema.PLANNED_MS)),
        asLong(row.get(Schema.RUN_MS)),
        asLong(row.get(Schema.KNOWN_PLANNED_MS)),
        total,
        good,
        machine ? idealCycleMs * total : asDoubleOr0(row.get(Schema.NET_RUN_MS)),
        machine ? idealCycleMs * good : asDoubleOr0(row.get(Schema.FULLY_PRODUCTIVE_MS)),
        new StateTimes(
            asLong(row.get(Schema.PRODUCING_MS)),
            asLong(row.get(Schema.IDLE_MS)),
            asLong(row.get(Schema.DOWN_MS)),
            asLong(row.get(Schema.SETUP_MS)),
            asLong(row.get(Schema.PLANNED_STOP_MS)),
            asLong(row.get(Schema.SMALL_STOP_MS))),
        machine
            ? idealCycleMs * asLong(row.get(Schema.STARTUP_REJECTS))
            : asDoubleOr0(row.get(Schema.STARTUP_REJECT_MS)));
  }

  @Override
  public Map<String, Long> stopReasons(Scope scope, long from, long to) {
    String filter =
        switch (scope.kind()) {
          case "machine" -> "machine = $id AND ";
          case "line" -> "line = $id AND factory = $factory AND ";
          case "factory" -> "factory = $id AND ";
          default -> "";
        };
    BoundParameterQuery.QueryBuilder q =
        BoundParameterQuery.QueryBuilder.newQuery(
            "SELECT sum(ms) AS ms FROM "
                + Schema.STOP_REASONS
                + " WHERE "
                + filter
                + "time >= "
                + from
                + "ms AND time < "
                + to
                + "ms GROUP BY reason");
    q.forDatabase(database);
    if (!filter.isEmpty()) {
      q.bind("id", scope.id());
    }
    if (scope.kind().equals("line")) {
      q.bind("factory", scope.factory());
    }
    Map<String, Long> out = new LinkedHashMap<>();
    for (QueryResult.Series s : series(influx.query(q.create(), TimeUnit.MILLISECONDS))) {
      long ms = 0;
      for (Map<String, Object> row : rows(s)) {
        ms += asLong(row.get(Schema.MS));
      }
      if (ms > 0) {
        out.put(s.getTags().get("reason"), ms);
      }
    }
    return out;
  }

  @Override
  public List<SignalBucket> signal(
      String machineId, String signal, long from, long to, long bucketMs) {
    Query q =
        BoundParameterQuery.QueryBuilder.newQuery(
                "SELECT mean(value) AS mean, min(value) AS min, max(value) AS max, count(value) AS"
                    + " n FROM "
                    + Schema.TELEMETRY
                    + " WHERE machine = $machine AND signal = $signal AND time >= "
                    + from
                    + "ms AND time < "
                    + to
                    + "ms GROUP BY time("
                    + bucketMs
                    + "ms) fill(none)")
            .forDatabase(database)
            .bind("machine", machineId)
            .bind("signal", signal)
            .create();
    List<SignalBucket> out = new ArrayList<>();
    for (Map<String, Object> row : rows(influx.query(q, TimeUnit.MILLISECONDS))) {
      out.add(
          new SignalBucket(
              asLong(row.get("time")),
              asDoubleOr0(row.get("mean")),
              asDoubleOr0(row.get("min")),
              asDoubleOr0(row.get("max")),
              asLong(row.get("n"))));
    }
    return out;
  }

  @Override
  public List<AnomalyRow> anomalies(Map<String, String> tags, long from, long to, int limit) {
    return events.anomalies(tags, from, to, limit);
  }

  @Override
  public boolean acknowledge(
      String machine, String signal, String rule, long start, String user, long at) {
    return events.acknowledge(machine, signal, rule, start, user, at);
  }

  @Override
  public List<GapRow> gaps(String gateway, long from, long to, int limit) {
    return events.gaps(gateway, from, to, limit);
  }

  @Override
  public MachineLive machineLive(String machineId, long now, long lookbackMs) {
    return machines.machineLive(machineId, now, lookbackMs);
  }

  @Override
  public List<StateSpan> stateHistory(String machineId, long from, long to, long lookbackMs) {
    return machines.stateHistory(machineId, from, to, lookbackMs);
  }

  @Override
  public List<LatestState> latestStates(String factoryId, long now, long lookbackMs) {
    return machines.latestStates(factoryId, now, lookbackMs);
  }

  @Override
  public boolean ping() {
    try {
      return influx.ping().isGood();
    } catch (InfluxDBIOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    influx.close();
  }
}
