package io.gemba.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gemba.services.FreePorts;
import io.gemba.services.MosquittoBroker;
import io.gemba.sim.ParkSimulation;
import io.gemba.sim.SimClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent as its own process, killed with SIGKILL while the broker is away and started again:
 * everything it had stored is delivered once the broker is back: the killed agent's envelopes with
 * their session's numbers, the new agent's in a new session from 0, both without a gap.
 */
class AgentCrashIT {

  private static final Logger log = LoggerFactory.getLogger(AgentCrashIT.class);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  private Process startAgent(Path config, String name) throws IOException {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            classpath,
            EdgeAgentCommand.class.getName(),
            "run",
            "--config",
            config.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve(name + ".log").toFile())
        .start();
  }

  @Test
  void agentKilledDuringOutage_losesNothingOnceRestarted() throws Exception {
    int opcPort = FreePorts.next();
    int metricsPort = FreePorts.next();
    try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mosquitto"));
        ParkSimulation sim =
            ParkSimulation.start(
                Fixtures.park(),
                "127.0.0.1",
                opcPort,
                new SimClock(System.currentTimeMillis(), 10),
                11,
                m -> {});
        Fixtures.Receiver receiver = new Fixtures.Receiver(broker.url())) {
      Path config = dir.resolve("gateway.yaml");
      Files.writeString(
          config,
          Fixtures.gateway(
              broker.url(), sim.server().endpointUrl(), dir.resolve("buffer"), metricsPort));

      Process first = startAgent(config, "agent-1");
      try {
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> metric(metricsPort, "gemba_edge_envelopes_sent_total") > 500);
        broker.pause();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> metric(metricsPort, "gemba_edge_buffer_depth") > 1_000);
        // SIGKILL: no shutdown hook, no flush.
        first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      } finally {
        first.destroyForcibly();
      }

      Process second = startAgent(config, "agent-2");
      try {
        // The restarted agent finds the first one's envelopes, and buffers its own on top.
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> metric(metricsPort, "gemba_edge_envelopes_buffered_total") > 1_000);
        assertThat(metric(metricsPort, "gemba_edge_envelopes_sent_total")).isZero();
        broker.resume();
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> metric(metricsPort, "gemba_edge_buffer_depth") < 50);
        // SIGTERM: the agent stores what it read and sends it before exiting.
        second.destroy();
        assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
      } finally {
        second.destroyForcibly();
      }

      Thread.sleep(3_000);
      Map<Long, List<Long>> sessions = receiver.sequenceNumbers();
      log.info(
          "crash result sessions={} envelopes={} repeats={}",
          sessions.keySet(),
          sessions.values().stream().mapToInt(List::size).sum(),
          receiver.repeats());
      // The killed agent's session, then the restarted one's.
      assertThat(sessions).hasSize(2);
      List<Long> order = new ArrayList<>(sessions.keySet());
      assertThat(order.get(1)).isGreaterThan(order.get(0));
      sessions.values().forEach(StoreAndForwardIT::assertContiguous);
      // Before the pause (> 500) and buffered by the killed agent (> 1,000); by the new one.
      assertThat(sessions.get(order.get(0)).size()).isGreaterThan(1_500);
      assertThat(sessions.get(order.get(1)).size()).isGreaterThan(1_000);
    }
  }

  private static double metric(int port, String name) {
    try {
      return StoreAndForwardIT.metric(port, name);
    } catch (Exception e) {
      return Double.NaN;
    }
  }
}
