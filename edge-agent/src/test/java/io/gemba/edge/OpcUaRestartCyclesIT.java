package io.gemba.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gemba.model.envelope.EnvelopeCodec;
import io.gemba.model.envelope.SignalValue;
import io.gemba.model.envelope.Topics;
import io.gemba.services.FreePorts;
import io.gemba.services.MosquittoBroker;
import io.gemba.sim.ParkSimulation;
import io.gemba.sim.SimClock;
import io.gemba.testkit.MqttProbe;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The machine's OPC UA server restarts 20 times under a running agent: data resumes every time, one
 * session remains, and the agent's threads and heap do not grow with the cycles. The agent runs in
 * a JVM of its own, so that only its threads and heap are measured (after a full GC requested with
 * jcmd), not those of the in-process servers.
 */
class OpcUaRestartCyclesIT {

  private static final Logger log = LoggerFactory.getLogger(OpcUaRestartCyclesIT.class);
  private static final int CYCLES = 20;

  @TempDir Path dir;

  @Test
  void twentyServerRestarts_noLeakedThreadsOrHeap() throws Exception {
    int opcPort = FreePorts.next();
    int metricsPort = FreePorts.next();
    AtomicLong newestValueTs = new AtomicLong();
    try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mosquitto"))) {
      EnvelopeCodec codec = new EnvelopeCodec();
      MqttProbe subscriber =
          MqttProbe.on(broker.url())
              .clientId("cycles")
              .subscribe(Topics.ALL_TELEMETRY)
              .qos(0)
              .keepDeliveries(false)
              .listener(
                  d -> {
                    for (SignalValue v : codec.decode(d.payload()).values()) {
                      newestValueTs.accumulateAndGet(v.ts(), Math::max);
                    }
                  })
              .start();
      Path config = dir.resolve("gateway.yaml");
      Files.writeString(
          config,
          GatewayConfigTest.VALID
                  .replace("tcp://127.0.0.1:1883", broker.url())
                  .replace("127.0.0.1:4840", "127.0.0.1:" + opcPort)
                  .replace("BUFFER_DIR", dir.resolve("buffer").toString())
              + "metrics: { host: 127.0.0.1, port: "
              + metricsPort
              + " }\n");
      ParkSimulation server = start(opcPort);
      Process agent = startAgent(config);
      try {
        long baselineThreads = 0;
        double baselineHeap = 0;
        long midThreads = 0;
        double midHeap = 0;
        for (int cycle = -2; cycle < CYCLES; cycle++) {
          await().atMost(Duration.ofSeconds(30)).until(() -> connected(metricsPort) == 1);
          server.close();
          await().atMost(Duration.ofSeconds(30)).until(() -> connected(metricsPort) == 0);
          long restartedAt = System.currentTimeMillis();
          server = start(opcPort);
          await().atMost(Duration.ofSeconds(30)).until(() -> newestValueTs.get() >= restartedAt);
          if (cycle == -1) {
            // Two warm-up cycles load every class and fill every pool; measure from here.
            baselineThreads = threads(agent, metricsPort);
            baselineHeap = heapAfterGc(agent, metricsPort);
            log.info("baseline threads={} heapBytes={}", baselineThreads, baselineHeap);
          }
          if (cycle == CYCLES / 2 - 1) {
            midThreads = threads(agent, metricsPort);
            midHeap = heapAfterGc(agent, metricsPort);
            log.info("after {} cycles threads={} heapBytes={}", CYCLES / 2, midThreads, midHeap);
          }
        }
        long threads = threads(agent, metricsPort);
        double heap = heapAfterGc(agent, metricsPort);
        log.info(
            "after {} cycles threads={} heapBytes={} names={}",
            CYCLES,
            threads,
            heap,
            threadNames(agent));
        // Pools may still add a thread or two after the warm-up; a leak grows with every cycle,
        // so the second ten cycles must add nothing.
        assertThat(threads).isLessThanOrEqualTo(midThreads + 1);
        assertThat(threads).isLessThanOrEqualTo(baselineThreads + 6);
        assertThat(heap).isLessThan(midHeap + (4 << 20));
        assertThat(heap).isLessThan(baselineHeap + (8 << 20));
        await().atMost(Duration.ofSeconds(10)).until(() -> connected(metricsPort) == 1);
        assertThat(server.server().sessionCount()).isEqualTo(1);
      } finally {
        agent.destroy();
        agent.waitFor(30, TimeUnit.SECONDS);
        server.close();
        subscriber.close();
      }
    }
  }

  private Process startAgent(Path config) throws IOException {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-cp",
            classpath,
            EdgeAgentCommand.class.getName(),
            "run",
            "--config",
            config.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("agent.log").toFile())
        .start();
  }

  private static double connected(int port) {
    try {
      return StoreAndForwardIT.metric(port, "gemba_edge_machine_connected");
    } catch (Exception e) {
      return Double.NaN;
    }
  }

  private static ParkSimulation start(int port) {
    return ParkSimulation.start(
        Fixtures.singleCncPark(),
        "127.0.0.1",
        port,
        new SimClock(System.currentTimeMillis(), 1),
        1,
        m -> {});
  }

  private static long threads(Process agent, int port) throws Exception {
    Thread.sleep(1_000);
    double live = StoreAndForwardIT.metric(port, "jvm_threads_live_threads");
    // A missing metric must not read as zero threads, which would pass any leak check.
    assertThat(live).as("jvm_threads_live_threads of the agent").isNotNaN().isPositive();
    return (long) live;
  }

  /** The agent's thread names with their counts (digits folded), for the log. */
  private static String threadNames(Process agent) throws Exception {
    Process dump =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(agent.pid()),
                "Thread.print")
            .redirectErrorStream(true)
            .start();
    String text = new String(dump.getInputStream().readAllBytes());
    dump.waitFor(30, TimeUnit.SECONDS);
    return text.lines()
        .filter(l -> l.startsWith("\""))
        .map(l -> l.substring(1, l.indexOf('"', 1)).replaceAll("\\d+", "#"))
        .collect(Collectors.groupingBy(n -> n, TreeMap::new, Collectors.counting()))
        .toString();
  }

  /** Heap in use after full collections, summed over the heap's memory pools. */
  private static double heapAfterGc(Process agent, int port) throws Exception {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    for (int i = 0; i < 2; i++) {
      Process gc =
          new ProcessBuilder(jcmd.toString(), Long.toString(agent.pid()), "GC.run")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      assertThat(gc.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(gc.exitValue()).as("jcmd GC.run").isZero();
    }
    String body =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Matcher m =
        Pattern.compile("(?m)^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*} ([0-9.eE+-]+)$")
            .matcher(body);
    double sum = 0;
    int pools = 0;
    while (m.find()) {
      sum += Double.parseDouble(m.group(1));
      pools++;
    }
    // A missing metric must not read as an empty heap, which would pass any leak check.
    assertThat(pools).as("heap pools in jvm_memory_used_bytes of the agent").isPositive();
    assertThat(sum).as("heap in use").isPositive();
    return sum;
  }
}
