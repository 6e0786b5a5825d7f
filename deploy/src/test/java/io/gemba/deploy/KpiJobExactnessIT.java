package io.gemba.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gemba.jobs.KpiJob;
import io.gemba.jobs.KpiJobCommand;
import io.gemba.jobs.functions.ParkSpec;
import io.gemba.model.envelope.Envelope;
import io.gemba.services.LocalServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The KPI job on a MiniCluster of two TaskManagers, between real mosquitto and influxd, fed a
 * multi-factory park played in-process over 70 simulated minutes: two shifts in each factory, one
 * across midnight, a planned stop, a flow line. Every stored machine minute (times, counts, state
 * times, stop reasons), every line, factory and park rollup, and every machine's shift equals the
 * simulators' ground truth exactly; with a TaskManager killed half-way through the stream too (and
 * state in RocksDB), and no sequence gap is reported.
 */
class KpiJobExactnessIT {

  private static TwoPlantsTruth truth;

  @TempDir Path dir;

  @BeforeAll
  static void play() {
    truth = TwoPlantsTruth.play();
  }

  @Test
  void failureFree_everyMinuteRollupAndShiftEqualsTheTruth() throws Exception {
    run(false);
  }

  @Test
  void taskManagerKilledHalfWay_sameKpis_nothingLost_noGap() throws Exception {
    run(true);
  }

  private void run(boolean killTaskManager) throws Exception {
    try (LocalServices services = LocalServices.start(dir)) {
      // The failover run keeps its state in RocksDB with checkpoints on disk, as a large site
      // would; the failure-free run on the heap.
      Configuration conf =
          killTaskManager
              ? KpiJobCommand.jobConfiguration(
                  Duration.ofSeconds(1),
                  KpiJobCommand.StateBackend.rocksdb,
                  dir.resolve("checkpoints").toUri().toString())
              : KpiJobCommand.jobConfiguration(Duration.ofSeconds(1));
      conf.set(
          TaskManagerOptions.TASK_MANAGER_LOAD_BALANCE_MODE,
          TaskManagerOptions.TaskManagerLoadBalanceMode.SLOTS);
      MiniClusterConfiguration clusterConf =
          new MiniClusterConfiguration.Builder()
              .setConfiguration(conf)
              .setNumTaskManagers(2)
              .setNumSlotsPerTaskManager(2)
              .build();
      try (MiniCluster cluster = new MiniCluster(clusterConf)) {
        cluster.start();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        KpiJobCommand.create(
                ParkSpec.of(Path.of("two-plants.yaml"), TwoPlantsTruth.PARK),
                services.broker().endpoint(),
                services.influx().endpoint(),
                LocalServices.DATABASE,
                // Replays a recorded day of March 2026: no lower bound on source time.
                KpiJob.Timing.DEFAULTS.withSourceTimeBounds(
                    Duration.ofMinutes(1), Duration.ofDays(365 * 30)),
                Duration.ofHours(1))
            .build(env);
        JobID job = cluster.submitJob(env.getStreamGraph().getJobGraph()).get().getJobID();
        MqttClient publisher =
            new MqttClient(services.broker().url(), "gateways", new MemoryPersistence());
        publisher.connect(new MqttConnectionOptions());
        try {
          TwoPlantsTruth.awaitJobReading(services, publisher, Duration.ofSeconds(60));
          List<Envelope> all = truth.feed.envelopes();
          int half = all.size() / 2;
          TwoPlantsTruth.publish(publisher, all.subList(0, half));
          if (killTaskManager) {
            // Minutes are stored once checkpoints complete: the job is under way, with open
            // minutes in its state and messages not yet acknowledged.
            await()
                .atMost(Duration.ofSeconds(60))
                .until(() -> TwoPlantsTruth.count(services, "SELECT count(run_ms) FROM oee") > 20);
            cluster.terminateTaskManager(0).get();
          }
          TwoPlantsTruth.publish(publisher, all.subList(half, all.size()));

          int expectedMinutes = truth.expectedMinutes();
          await()
              .atMost(Duration.ofSeconds(180))
              .pollInterval(Duration.ofSeconds(1))
              .until(
                  () ->
                      TwoPlantsTruth.count(services, "SELECT count(run_ms) FROM oee")
                          >= expectedMinutes);
          truth.assertStoredEqualsTruth(services);
          if (killTaskManager) {
            // The kill did hit the job: it restarted, from checkpoints RocksDB wrote to disk
            // (incremental checkpoints share their SST files under shared/).
            assertThat(
                    cluster.getExecutionGraph(job).get().getStatusTimestamp(JobStatus.RESTARTING))
                .as("the job restarted")
                .isPositive();
            try (var shared =
                Files.list(
                    dir.resolve("checkpoints").resolve(job.toHexString()).resolve("shared"))) {
              assertThat(shared.count()).as("RocksDB's shared checkpoint files").isPositive();
            }
          }
        } finally {
          publisher.disconnect();
          publisher.close();
          cluster.cancelJob(job).get();
        }
      }
    }
  }
}
