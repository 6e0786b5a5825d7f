package io.gemba.api.store;

import static io.gemba.api.store.InfluxRows.asDoubleOr0;
import static io.gemba.api.store.InfluxRows.asLong;
import static io.gemba.api.store.InfluxRows.rows;
import static io.gemba.api.store.InfluxRows.text;

import io.gemba.model.storage.Schema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.influxdb.InfluxDB;
import org.influxdb.dto.BoundParameterQuery;
import org.influxdb.dto.Point;
import org.influxdb.dto.Query;

/** Anomalies with their acknowledgements, and sequence gaps, in InfluxDB. */
final class InfluxEvents {

  private final InfluxDB influx;
  private final String database;
  private final String actionsDatabase;

  InfluxEvents(InfluxDB influx, String database, String actionsDatabase) {
    this.influx = influx;
    this.database = database;
    this.actionsDatabase = actionsDatabase;
  }

  List<AnomalyRow> anomalies(Map<String, String> tags, long from, long to, int limit) {
    StringBuilder where = new StringBuilder();
    for (String tag : tags.keySet()) {
      where.append(tag).append(" = $").append(tag).append(" AND ");
    }
    String range = "time >= " + from + "ms AND time < " + to + "ms";
    BoundParameterQuery.QueryBuilder q =
        BoundParameterQuery.QueryBuilder.newQuery(
            "SELECT * FROM "
                + Schema.ANOMALIES
                + " WHERE "
                + where
                + range
                + " ORDER BY time DESC LIMIT "
                + limit);
    q.forDatabase(database);
    tags.forEach(q::bind);
    BoundParameterQuery.QueryBuilder acks =
        BoundParameterQuery.QueryBuilder.newQuery(
            "SELECT * FROM " + Schema.ANOMALY_ACKS + " WHERE " + where + range);
    acks.forDatabase(actionsDatabase);
    tags.forEach(acks::bind);
    Map<String, Map<String, Object>> ackOf = new HashMap<>();
    for (Map<String, Object> row : rows(influx.query(acks.create(), TimeUnit.MILLISECONDS))) {
      ackOf.put(ackKey(row), row);
    }
    List<AnomalyRow> out = new ArrayList<>();
    for (Map<String, Object> row : rows(influx.query(q.create(), TimeUnit.MILLISECONDS))) {
      Map<String, Object> ack = ackOf.get(ackKey(row));
      out.add(
          new AnomalyRow(
              text(row.get(Schema.FACTORY)),
              text(row.get(Schema.LINE)),
              text(row.get(Schema.MACHINE)),
              text(row.get(Schema.SIGNAL)),
              text(row.get(Schema.RULE)),
              asLong(row.get("time")),
              asLong(row.get(Schema.END_MS)),
              asDoubleOr0(row.get(Schema.SCORE)),
              text(row.get(Schema.MESSAGE)),
              ack == null ? null : text(ack.get(Schema.BY)),
              ack == null ? 0 : asLong(ack.get(Schema.AT_MS))));
    }
    return out;
  }

  private static String ackKey(Map<String, Object> row) {
    return text(row.get(Schema.MACHINE))
        + "/"
        + text(row.get(Schema.SIGNAL))
        + "/"
        + text(row.get(Schema.RULE))
        + "@"
        + asLong(row.get("time"));
  }

  boolean acknowledge(
      String machine, String signal, String rule, long start, String user, long at) {
    Query q =
        BoundParameterQuery.QueryBuilder.newQuery(
                "SELECT * FROM "
                    + Schema.ANOMALIES
                    + " WHERE machine = $machine AND signal = $signal AND rule ="
                    + " $rule AND time = "
                    + start
                    + "ms")
            .forDatabase(database)
            .bind("machine", machine)
            .bind("signal", signal)
            .bind("rule", rule)
            .create();
    List<Map<String, Object>> found = rows(influx.query(q, TimeUnit.MILLISECONDS));
    if (found.isEmpty()) {
      return false;
    }
    Map<String, Object> a = found.get(0);
    influx.write(
        actionsDatabase,
        "",
        Point.measurement(Schema.ANOMALY_ACKS)
            .time(start, TimeUnit.MILLISECONDS)
            .tag(Schema.FACTORY, text(a.get(Schema.FACTORY)))
            .tag(Schema.LINE, text(a.get(Schema.LINE)))
            .tag(Schema.MACHINE, machine)
            .tag(Schema.SIGNAL, signal)
            .tag(Schema.RULE, rule)
            .addField(Schema.BY, user)
            .addField(Schema.AT_MS, at)
            .build());
    return true;
  }

  List<GapRow> gaps(String gateway, long from, long to, int limit) {
    BoundParameterQuery.QueryBuilder q =
        BoundParameterQuery.QueryBuilder.newQuery(
            "SELECT * FROM "
                + Schema.GAPS
                + " WHERE "
                + (gateway == null ? "" : "gateway = $gateway AND ")
                + "time >= "
                + from
                + "ms AND time < "
                + to
                + "ms ORDER BY time DESC LIMIT "
                + limit);
    q.forDatabase(database);
    if (gateway != null) {
      q.bind("gateway", gateway);
    }
    List<GapRow> out = new ArrayList<>();
    for (Map<String, Object> row : rows(influx.query(q.create(), TimeUnit.MILLISECONDS))) {
      out.add(
          new GapRow(
              text(row.get(Schema.GATEWAY)),
              // Gaps written before sessions existed have none: version-1 numbering.
              row.get(Schema.SESSION) == null ? -1 : asLong(row.get(Schema.SESSION)),
              asLong(row.get("time")),
              asLong(row.get(Schema.FROM_SEQ)),
              asLong(row.get(Schema.TO_SEQ)),
              asLong(row.get(Schema.MISSING))));
    }
    return out;
  }
}
