package io.gemba.deploy.bench;

import com.sun.management.OperatingSystemMXBean;
import io.gemba.jobs.KpiJob;
import io.gemba.jobs.KpiJobCommand;
import io.gemba.jobs.functions.ParkSpec;
import io.gemba.jobs.mqtt.MqttRecord;
import io.gemba.model.asset.MachinePlacement;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Values per second the whole KPI job carries per core, with checkpoints on: generated envelopes of
 * the load park's machines (8 signal values each, a counter every few envelopes, a state change now
 * and then, 1 s of event time per envelope and machine) go through decoding, OEE per minute with
 * late-data state, rollups, anomaly detection and gap detection into discarding sinks, so that the
 * figure is the job's own cost, not InfluxDB's. The generator's JSON building runs in the same JVM
 * and is included.
 *
 * <p>{@code java -cp 'deploy/target/gemba-deploy.jar:deploy/target/lib/*'
 * io.gemba.deploy.bench.KpiJobBench [envelopes] [parallelism] [park]}
 */
public final class KpiJobBench {

  private static final long T0 = 1_800_000_000_000L;

  /** Builds envelope {@code i}: machine {@code i % machines}, second {@code i / machines}. */
  static final class Envelopes implements MapFunction<Long, MqttRecord> {
    private final List<String[]> machines;

    Envelopes(List<String[]> machines) {
      this.machines = machines;
    }

    @Override
    public MqttRecord map(Long i) {
      String[] m = machines.get((int) (i % machines.size()));
      long second = i / machines.size();
      long ts = T0 + second * 1_000;
      StringBuilder json = new StringBuilder(900);
      // One gateway per factory, sending in the generator's order: its numbers are contiguous.
      json.append("{\"v\":2,\"gateway\":\"gw-")
          .append(m[0])
          .append("\",\"session\":1,\"seq\":")
          .append(i)
          .append(",\"sentAt\":")
          .append(ts + 200)
          .append(",\"machine\":{\"factory\":\"")
          .append(m[0])
          .append("\",\"line\":\"")
          .append(m[1])
          .append("\",\"id\":\"")
          .append(m[2])
          .append("\"},\"values\":[");
      for (int s = 0; s < 8; s++) {
        double value = 50 + s * 10 + ((second * 31 + s * 17) % 13) * 0.1;
        json.append(s == 0 ? "" : ",")
            .append("{\"signal\":\"s")
            .append(s)
            .append("\",\"ts\":")
            .append(ts)
            .append(",\"value\":")
            .append(value)
            .append(",\"quality\":\"good\"}");
      }
      json.append("],\"states\":[");
      if (second % 300 == 0) {
        json.append("{\"ts\":")
            .append(ts)
            .append(",\"state\":\"")
            .append(second % 600 == 0 ? "producing" : "idle")
            .append("\"}");
      }
      json.append("],\"counters\":[");
      if (second % 20 == 0) {
        json.append("{\"counter\":\"total\",\"ts\":")
            .append(ts)
            .append(",\"value\":")
            .append(second / 20)
            .append("},{\"counter\":\"good\",\"ts\":")
            .append(ts)
            .append(",\"value\":")
            .append(second / 20)
            .append('}');
      }
      json.append("]}");
      return new MqttRecord(
          "gemba/v1/" + m[0] + "/" + m[1] + "/" + m[2] + "/telemetry",
          json.toString().getBytes(StandardCharsets.UTF_8),
          ts);
    }
  }

  public static void main(String[] args) throws Exception {
    long envelopes = args.length > 0 ? Long.parseLong(args[0]) : 2_000_000;
    int parallelism = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    Path parkFile = Path.of(args.length > 2 ? args[2] : "deploy/parks/load.yaml");
    ParkSpec park = KpiJobCommand.readPark(parkFile);
    List<String[]> machines = park.park().placements().stream().map(KpiJobBench::ids).toList();

    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironment(
            parallelism, KpiJobCommand.jobConfiguration(Duration.ofSeconds(5)));
    DataStream<MqttRecord> records =
        env.fromSequence(0, envelopes - 1).map(new Envelopes(machines)).name("generated");
    KpiJob.Sinks all = KpiJob.Sinks.discarding();
    // Every generated envelope must be accepted: a refusal would measure the refusal path.
    KpiJob.Sinks discard =
        new KpiJob.Sinks(
            all.oee(),
            all.telemetry(),
            all.states(),
            new NoneAccepted<>("refused envelope or reading"),
            new NoneAccepted<>("sequence gap"),
            all.rollups(),
            all.anomalies(),
            all.stopReasons(),
            all.shifts(),
            null);
    // The generated readings start at a fixed instant (2027-01-15): bounds wide enough for it.
    KpiJob.Timing timing =
        KpiJob.Timing.DEFAULTS.withSourceTimeBounds(
            Duration.ofDays(365 * 30), Duration.ofDays(365 * 30));
    new KpiJob(null, discard, park, timing).build(records);

    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long wall0 = System.nanoTime();
    env.execute("kpi-job-bench");
    double wall = (System.nanoTime() - wall0) / 1e9;
    double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
    long values = envelopes * 8;
    System.out.printf(
        "kpi-job machines=%d envelopes=%d values=%d parallelism=%d wall_s=%.1f cpu_s=%.1f"
            + " values_per_s=%.0f values_per_cpu_s=%.0f%n",
        machines.size(), envelopes, values, parallelism, wall, cpu, values / wall, values / cpu);
  }

  /** A sink that fails the benchmark at its first element: for outputs a valid run has none of. */
  static final class NoneAccepted<T> implements Sink<T> {
    private final String what;

    NoneAccepted(String what) {
      this.what = what;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
      return new SinkWriter<>() {
        @Override
        public void write(T element, Context ctx) {
          throw new IllegalStateException("benchmark invalid: " + what + ": " + element);
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
      };
    }
  }

  private static String[] ids(MachinePlacement p) {
    return new String[] {p.factory().id(), p.line().id(), p.machine().id()};
  }

  private KpiJobBench() {}
}
