package io.gemba.jobs;

import io.gemba.connect.BrokerEndpoint;
import io.gemba.connect.InfluxEndpoint;
import io.gemba.jobs.functions.ParkSpec;
import java.time.Duration;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The KPI job alone on a MiniCluster of its own (one task manager, one slot, checkpoints every
 * second), so that a test can read the job's status and how often its tasks were restarted.
 */
final class JobOnMiniCluster implements AutoCloseable {

  private final MiniCluster cluster;
  private final JobID job;

  private JobOnMiniCluster(MiniCluster cluster, JobID job) {
    this.cluster = cluster;
    this.job = job;
  }

  /** Starts a cluster and submits the job reading {@code broker} and writing to {@code gemba}. */
  static JobOnMiniCluster start(
      ParkSpec park, BrokerEndpoint broker, InfluxEndpoint influx, KpiJob.Timing timing)
      throws Exception {
    Configuration conf = KpiJobCommand.jobConfiguration(Duration.ofSeconds(1));
    MiniCluster cluster =
        new MiniCluster(
            new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(1)
                .build());
    try {
      cluster.start();
      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
      env.setParallelism(1);
      KpiJobCommand.create(park, broker, influx, "gemba", timing, KpiJobCommand.SESSION_EXPIRY)
          .build(env);
      JobID job = cluster.submitJob(env.getStreamGraph().getJobGraph()).get().getJobID();
      return new JobOnMiniCluster(cluster, job);
    } catch (Exception | Error e) {
      cluster.close();
      throw e;
    }
  }

  JobStatus status() throws Exception {
    return cluster.getJobStatus(job).get();
  }

  /**
   * How often tasks of the job were restarted: the attempt numbers of its tasks, summed. A job
   * whose tasks fail over region by region stays RUNNING, so its status says nothing about
   * restarts.
   */
  int taskRestarts() throws Exception {
    int restarts = 0;
    for (var vertex : cluster.getArchivedExecutionGraph(job).get().getAllExecutionVertices()) {
      restarts += vertex.getCurrentExecutionAttempt().getAttemptNumber();
    }
    return restarts;
  }

  @Override
  public void close() throws Exception {
    try {
      if (!status().isGloballyTerminalState()) {
        cluster.cancelJob(job).get();
      }
    } finally {
      cluster.close();
    }
  }
}
