package io.gemba.model.storage;

import java.util.List;

/**
 * The storage contract: the InfluxDB measurements, tags and fields that the KPI job writes and the
 * API, the Grafana dashboard and the tests read. Every name is written here once; docs/storage.md
 * describes them, and {@code StorageDocsTest} and {@code GrafanaDashboardIT} check that the page
 * and the dashboard use no other.
 */
public final class Schema {

  private Schema() {}

  // Measurements.
  public static final String OEE = "oee";
  public static final String OEE_ROLLUP = "oee_rollup";
  public static final String OEE_SHIFT = "oee_shift";
  public static final String STOP_REASONS = "stop_reasons";
  public static final String TELEMETRY = "telemetry";
  public static final String MACHINE_STATE = "machine_state";
  public static final String ANOMALIES = "anomalies";
  public static final String ANOMALY_ACKS = "anomaly_acks";
  public static final String REJECTED = "rejected_messages";
  public static final String DEAD_LETTERS = "dead_letters";
  public static final String GAPS = "gaps";

  /** Every measurement, in the order of docs/storage.md. */
  public static final List<String> MEASUREMENTS =
      List.of(
          OEE,
          OEE_ROLLUP,
          OEE_SHIFT,
          STOP_REASONS,
          TELEMETRY,
          MACHINE_STATE,
          REJECTED,
          ANOMALIES,
          ANOMALY_ACKS,
          DEAD_LETTERS,
          GAPS);

  // Tags.
  public static final String FACTORY = "factory";
  public static final String LINE = "line";
  public static final String MACHINE = "machine";
  public static final String WINDOW = "window";
  public static final String SCOPE = "scope";
  public static final String ID = "id";
  public static final String SHIFT = "shift";
  public static final String SIGNAL = "signal";
  public static final String RULE = "rule";
  public static final String REASON = "reason";
  public static final String GATEWAY = "gateway";
  public static final String MEASUREMENT = "measurement";

  /** The {@link #WINDOW} tag of per-minute points. */
  public static final String MINUTE_WINDOW = "1m";

  // Fields of OEE points (machine minutes, rollups, shifts to date).
  public static final String PLANNED_MS = "planned_ms";
  public static final String RUN_MS = "run_ms";
  public static final String KNOWN_PLANNED_MS = "known_planned_ms";
  public static final String TOTAL_COUNT = "total_count";
  public static final String GOOD_COUNT = "good_count";
  public static final String IDEAL_CYCLE_MS = "ideal_cycle_ms";
  public static final String STARTUP_REJECTS = "startup_rejects";
  public static final String NET_RUN_MS = "net_run_ms";
  public static final String FULLY_PRODUCTIVE_MS = "fully_productive_ms";
  public static final String STARTUP_REJECT_MS = "startup_reject_ms";
  public static final String PRODUCING_MS = "producing_ms";
  public static final String IDLE_MS = "idle_ms";
  public static final String DOWN_MS = "down_ms";
  public static final String SETUP_MS = "setup_ms";
  public static final String PLANNED_STOP_MS = "planned_stop_ms";
  public static final String SMALL_STOP_MS = "small_stop_ms";
  public static final String LOSS_PLANNED_STOP_MS = "loss_planned_stop_ms";
  public static final String LOSS_UNPLANNED_STOP_MS = "loss_unplanned_stop_ms";
  public static final String LOSS_SMALL_STOP_MS = "loss_small_stop_ms";
  public static final String LOSS_SLOW_CYCLE_MS = "loss_slow_cycle_ms";
  public static final String LOSS_STARTUP_REJECT_MS = "loss_startup_reject_ms";
  public static final String LOSS_PRODUCTION_REJECT_MS = "loss_production_reject_ms";
  public static final String AVAILABILITY = "availability";
  public static final String PERFORMANCE = "performance";
  public static final String QUALITY = "quality";
  public static final String OEE_FIGURE = "oee";
  public static final String COVERAGE = "coverage";
  public static final String MACHINES = "machines";
  public static final String REPORTING = "reporting";
  public static final String SHIFT_END_MS = "shift_end_ms";
  public static final String AS_OF_MS = "as_of_ms";

  // Fields of the other points.
  public static final String MS = "ms";
  public static final String VALUE = "value";
  public static final String STATE = "state";
  public static final String ONGOING = "ongoing";
  public static final String END_MS = "end_ms";
  public static final String DURATION_S = "duration_s";
  public static final String SCORE = "score";
  public static final String MESSAGE = "message";
  public static final String BY = "by";
  public static final String AT_MS = "at_ms";
  public static final String TOPIC = "topic";
  public static final String BYTES = "bytes";
  public static final String READINGS = "readings";
  public static final String POINTS = "points";
  public static final String DROPPED = "dropped";
  public static final String SESSION = "session";
  public static final String FROM_SEQ = "from_seq";
  public static final String TO_SEQ = "to_seq";
  public static final String MISSING = "missing";
}
