package io.gemba.jobs;

import io.gemba.connect.BrokerEndpoint;
import io.gemba.connect.InfluxEndpoint;
import io.gemba.connect.cli.BrokerOptions;
import io.gemba.connect.cli.InfluxOptions;
import io.gemba.jobs.functions.ParkSpec;
import io.gemba.jobs.mqtt.MqttSource;
import io.gemba.model.config.ConfigException;
import io.gemba.model.config.InvalidFieldException;
import io.gemba.model.envelope.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Command line of the KPI job. Run with {@code java -jar} it starts a local Flink MiniCluster;
 * submitted to a Flink cluster, the same main runs there.
 */
@Command(
    name = "kpi-job",
    mixinStandardHelpOptions = true,
    description = "Computes OEE per machine and minute from telemetry envelopes.")
public final class KpiJobCommand implements Callable<Integer> {

  @Option(names = "--park", required = true, description = "Park file (YAML).")
  Path park;

  @Option(
      names = "--mqtt",
      required = true,
      description = "The plant broker's listener for the KPI job: ssl://host:8884 (or tcp://).")
  String mqtt;

  @Mixin BrokerOptions mqttOptions = new BrokerOptions();

  @Option(
      names = "--influx",
      required = true,
      description = "InfluxDB URL: https://host:8086 (or http://).")
  String influx;

  @Mixin InfluxOptions influxOptions = new InfluxOptions();

  @Option(names = "--database", defaultValue = "gemba", description = "InfluxDB database.")
  String database;

  @Option(
      names = "--out-of-orderness-ms",
      defaultValue = "5000",
      description = "How late a reading may arrive and still count for its minute.")
  long outOfOrdernessMs;

  @Option(names = "--parallelism", defaultValue = "1", description = "Job parallelism.")
  int parallelism;

  @Option(
      names = "--checkpoint-interval",
      defaultValue = "PT5S",
      description =
          "How often the job checkpoints (ISO-8601, default ${DEFAULT-VALUE}). MQTT messages are"
              + " acknowledged to the broker when the checkpoint covering them completes.")
  Duration checkpointInterval;

  @Option(
      names = "--session-expiry",
      defaultValue = "P7D",
      description =
          "How long the broker keeps the job's MQTT sessions, and queues for them, while the job"
              + " is stopped (ISO-8601, default ${DEFAULT-VALUE}).")
  Duration sessionExpiry;

  @Option(
      names = "--gap-grace",
      defaultValue = "PT1M",
      description =
          "How long a missing envelope may take to arrive before it is reported as a gap"
              + " (ISO-8601, default ${DEFAULT-VALUE}).")
  Duration gapGrace;

  @Option(
      names = "--allowed-lateness",
      defaultValue = "PT1H",
      description =
          "How long after its minute closed a reading still corrects it; the minute and those"
              + " after it are stored again (ISO-8601, default ${DEFAULT-VALUE}).")
  Duration allowedLateness;

  @Option(
      names = "--clock-tolerance",
      defaultValue = "PT30S",
      description =
          "How far a machine's timestamps may be from its gateway's clock before its clock is"
              + " reported as off (ISO-8601, default ${DEFAULT-VALUE}).")
  Duration clockTolerance;

  @Option(
      names = "--max-ahead",
      defaultValue = "PT1M",
      description =
          "Readings whose source time is further ahead of the job's clock are refused, so that no"
              + " machine's clock moves event time for the others (ISO-8601, default"
              + " ${DEFAULT-VALUE}).")
  Duration maxAhead;

  @Option(
      names = "--max-behind",
      defaultValue = "P7D",
      description =
          "Readings whose source time is further behind the job's clock are refused (ISO-8601,"
              + " default ${DEFAULT-VALUE}).")
  Duration maxBehind;

  @Option(
      names = "--signal-silence",
      defaultValue = "P1D",
      description =
          "After how long without a reading a signal's state (its place under the park's"
              + " signalsPerMachine, its anomaly baseline) is forgotten (ISO-8601, default"
              + " ${DEFAULT-VALUE}).")
  Duration signalSilence;

  /** Where keyed state lives between checkpoints. */
  public enum StateBackend {
    /** On the Java heap: fastest; state must fit in memory. */
    hashmap,
    /** In embedded RocksDB on local disk: state larger than memory, incremental checkpoints. */
    rocksdb
  }

  @Option(
      names = "--state-backend",
      defaultValue = "hashmap",
      description =
          "Where keyed state lives: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}). rocksdb"
              + " keeps state on local disk for parks whose state outgrows the heap.")
  StateBackend stateBackend;

  @Option(
      names = "--checkpoint-dir",
      description =
          "Where checkpoints are written, a file:// or other Flink file system URI. Without it,"
              + " checkpoints are kept in the JobManager's memory, which survives task failures"
              + " but not a JobManager restart.")
  String checkpointDir;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    int code = new CommandLine(new KpiJobCommand()).execute(args);
    // Exit only on failure: in a Flink cluster's application mode (the Kubernetes operator) this
    // main runs inside the JobManager, which System.exit(0) after submitting would stop.
    if (code != 0) {
      System.exit(code);
    }
  }

  /** Reads and validates the park file for a job. */
  public static ParkSpec readPark(Path file) {
    try {
      return ParkSpec.of(file, Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new ConfigException(file, "", "file not found", e);
    } catch (IOException e) {
      throw new ConfigException(file, "", "cannot read file: " + e.getMessage(), e);
    }
  }

  /** How long a stopped job's MQTT sessions are kept by default. */
  public static final Duration SESSION_EXPIRY = Duration.ofDays(7);

  /** How often the job checkpoints by default. */
  public static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(5);

  /** The job as the command line configures it, reading MQTT and writing InfluxDB. */
  public static KpiJob create(
      ParkSpec park,
      BrokerEndpoint mqtt,
      InfluxEndpoint influx,
      String database,
      KpiJob.Timing timing,
      Duration sessionExpiry) {
    return new KpiJob(
        new MqttSource(mqtt, Topics.ALL_TELEMETRY, "gemba-kpi", sessionExpiry),
        KpiJob.Sinks.influx(influx, database).withLive(mqtt),
        park,
        timing);
  }

  /** As the full {@code create}, with the default timing but for out-of-orderness. */
  public static KpiJob create(
      ParkSpec park,
      BrokerEndpoint mqtt,
      InfluxEndpoint influx,
      String database,
      Duration outOfOrderness) {
    return create(
        park,
        mqtt,
        influx,
        database,
        KpiJob.Timing.DEFAULTS.withOutOfOrderness(outOfOrderness),
        SESSION_EXPIRY);
  }

  /**
   * Job settings that do not depend on where it runs: checkpointing every {@code
   * checkpointInterval} (the source acknowledges MQTT messages only when a checkpoint completes),
   * and an explicit restart strategy.
   */
  public static Configuration jobConfiguration(Duration checkpointInterval) {
    return jobConfiguration(checkpointInterval, StateBackend.hashmap, null);
  }

  /**
   * As {@link #jobConfiguration(Duration)}, with keyed state in {@code backend} and checkpoints in
   * {@code checkpointDir} (null: in the JobManager's memory). RocksDB checkpoints incrementally.
   */
  public static Configuration jobConfiguration(
      Duration checkpointInterval, StateBackend backend, String checkpointDir) {
    Configuration conf = new Configuration();
    conf.set(StateBackendOptions.STATE_BACKEND, backend.name());
    if (backend == StateBackend.rocksdb) {
      conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
    }
    if (checkpointDir != null) {
      conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
      conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir);
    }
    conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, Integer.MAX_VALUE);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(5));
    return conf;
  }

  /** {@link #jobConfiguration(Duration)} with checkpoints every 5 s. */
  public static Configuration jobConfiguration() {
    return jobConfiguration(CHECKPOINT_INTERVAL);
  }

  @Override
  public Integer call() throws Exception {
    ParkSpec spec;
    BrokerEndpoint broker;
    InfluxEndpoint store;
    try {
      spec = readPark(park);
      broker = mqttOptions.endpoint(mqtt);
      store = influxOptions.endpoint(influx);
    } catch (ConfigException | InvalidFieldException e) {
      this.spec.commandLine().getErr().println("error: " + e.getMessage());
      return 2;
    }
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(
            jobConfiguration(checkpointInterval, stateBackend, checkpointDir));
    env.setParallelism(parallelism);
    create(
            spec,
            broker,
            store,
            database,
            new KpiJob.Timing(
                Duration.ofMillis(outOfOrdernessMs),
                allowedLateness,
                gapGrace,
                clockTolerance,
                maxAhead,
                maxBehind,
                signalSilence),
            sessionExpiry)
        .build(env);
    env.execute("gemba-kpi");
    return 0;
  }
}
