package io.gemba.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gemba.model.envelope.Envelope;
import io.gemba.services.FreePorts;
import io.gemba.services.LocalServices;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The KPI job on a real standalone Flink session cluster: {@code deploy/bin/flink-cluster} starts a
 * JobManager and two TaskManagers, each its own JVM on loopback, and submits the job jar with
 * RocksDB state and checkpoints on disk. Under load one TaskManager process is killed ({@code kill
 * -9}); the job restarts from its last checkpoint on the remaining slots, and every stored machine
 * minute, rollup and shift still equals the ground truth, with no sequence gap.
 */
class FlinkClusterIT {

  private static final Path SCRIPT = Path.of("bin", "flink-cluster").toAbsolutePath();

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void taskManagerProcessKilledUnderLoad_jobRecovers_sameKpis_noGap() throws Exception {
    TwoPlantsTruth truth = TwoPlantsTruth.play();
    Path cluster = dir.resolve("flink");
    int restPort = FreePorts.next();
    try (LocalServices services = LocalServices.start(dir.resolve("services"))) {
      try {
        script(
            "start",
            "--dir",
            cluster.toString(),
            "--rest-port",
            String.valueOf(restPort),
            "--rpc-port",
            String.valueOf(FreePorts.next()),
            "--taskmanagers",
            "2",
            "--slots",
            "2");
        Path parkFile = dir.resolve("two-plants.yaml");
        Files.writeString(parkFile, TwoPlantsTruth.PARK);
        script(
            "submit",
            "--dir",
            cluster.toString(),
            "--parallelism",
            "2",
            "--",
            "--park",
            parkFile.toString(),
            "--mqtt",
            services.broker().url(),
            "--influx",
            services.influx().url(),
            "--database",
            LocalServices.DATABASE,
            "--parallelism",
            "2",
            "--checkpoint-interval",
            "PT1S",
            "--session-expiry",
            "PT1H",
            "--state-backend",
            "rocksdb",
            "--checkpoint-dir",
            dir.resolve("checkpoints").toUri().toString(),
            // Replays a recorded day of March 2026: no lower bound on source time.
            "--max-behind",
            "P3650D");
        String rest = "http://127.0.0.1:" + restPort;
        String job = runningJob(rest);

        MqttClient publisher =
            new MqttClient(services.broker().url(), "gateways", new MemoryPersistence());
        publisher.connect(new MqttConnectionOptions());
        try {
          TwoPlantsTruth.awaitJobReading(services, publisher, Duration.ofSeconds(90));
          List<Envelope> all = truth.feed.envelopes();
          int half = all.size() / 2;
          TwoPlantsTruth.publish(publisher, all.subList(0, half));
          // Under way: minutes stored (checkpoints complete), others open in the state.
          await()
              .atMost(Duration.ofSeconds(90))
              .until(() -> TwoPlantsTruth.count(services, "SELECT count(run_ms) FROM oee") > 20);
          long pid = Long.parseLong(Files.readString(cluster.resolve("taskmanager-1.pid")).strip());
          ProcessHandle taskManager = ProcessHandle.of(pid).orElseThrow();
          new ProcessBuilder("kill", "-9", String.valueOf(pid)).inheritIO().start().waitFor();
          taskManager.onExit().get(30, TimeUnit.SECONDS);
          TwoPlantsTruth.publish(publisher, all.subList(half, all.size()));

          await()
              .atMost(Duration.ofSeconds(240))
              .pollInterval(Duration.ofSeconds(1))
              .until(
                  () ->
                      TwoPlantsTruth.count(services, "SELECT count(run_ms) FROM oee")
                          >= truth.expectedMinutes());
          truth.assertStoredEqualsTruth(services);

          JsonObject details = get(rest + "/jobs/" + job);
          assertThat(details.getString("state")).isEqualTo("RUNNING");
          assertThat(details.getJsonObject("timestamps").getLong("RESTARTING"))
              .as("the job restarted after the TaskManager was killed")
              .isPositive();
          JsonObject checkpoints = get(rest + "/jobs/" + job + "/checkpoints");
          assertThat(checkpoints.getJsonObject("latest").getJsonObject("restored"))
              .as("the job was restored from a checkpoint")
              .isNotNull();
        } finally {
          publisher.disconnect();
          publisher.close();
        }
      } finally {
        script("stop", "--dir", cluster.toString());
      }
    }
  }

  /** The id of the one job the cluster runs, once it is RUNNING. */
  private String runningJob(String rest) {
    List<String> running = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              JsonArray jobs = get(rest + "/jobs").getJsonArray("jobs");
              running.clear();
              for (int i = 0; i < jobs.size(); i++) {
                if ("RUNNING".equals(jobs.getJsonObject(i).getString("status"))) {
                  running.add(jobs.getJsonObject(i).getString("id"));
                }
              }
              return running.size() == 1;
            });
    return running.get(0);
  }

  private JsonObject get(String url) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(200);
    return new JsonObject(response.body());
  }

  private static void script(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    // Inside the Maven build the cluster's class path and the job jar are built already.
    builder.environment().put("GEMBA_SKIP_BUILD", "1");
    Process p = builder.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("flink-cluster %s ended", args[0]).isTrue();
    assertThat(p.exitValue()).as("flink-cluster %s: %s", args[0], output).isZero();
  }
}
