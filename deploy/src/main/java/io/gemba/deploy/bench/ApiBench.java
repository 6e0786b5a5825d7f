package io.gemba.deploy.bench;

import io.gemba.api.ApiVerticle;
import io.gemba.api.live.LiveFeed;
import io.gemba.api.security.ApiSecurity;
import io.gemba.api.security.ApiUser;
import io.gemba.api.security.Role;
import io.gemba.api.security.UsersFile;
import io.gemba.api.store.InfluxKpiStore;
import io.gemba.connect.InfluxEndpoint;
import io.gemba.model.asset.Factory;
import io.gemba.model.asset.Line;
import io.gemba.model.asset.Park;
import io.gemba.model.envelope.Topics;
import io.gemba.services.MosquittoBroker;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;

/**
 * The API's two hot paths, measured in one JVM against real mosquitto:
 *
 * <ol>
 *   <li><b>live OEE</b>: {@code GET /api/v1/live/latest} (a factory's latest figures, from memory)
 *       as fast as {@code connections} keep-alive connections can ask, for {@code seconds};
 *   <li><b>SSE fan-out</b>: {@code clients} Server-Sent-Event connections on the park stream while
 *       the KPI job's park topic gets one update per second; latency from the MQTT publish to each
 *       client's receipt.
 * </ol>
 *
 * <p>Usage: {@code ApiBench [seconds=20] [connections=32] [clients=1000]
 * [park=deploy/parks/demo.yaml]}. Client and server share the machine's two cores, so the req/s
 * figure is a floor for the server.
 */
public final class ApiBench {

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int connections = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    int clients = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
    Park park = Park.load(Path.of(args.length > 3 ? args[3] : "deploy/parks/demo.yaml"));
    Path dir = Files.createTempDirectory("gemba-api-bench");
    try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mosquitto"))) {
      MqttClient kpiJob = new MqttClient(broker.url(), "bench-kpi-job", new MemoryPersistence());
      kpiJob.connect(new MqttConnectionOptions());
      for (Factory f : park.factories()) {
        publish(kpiJob, Topics.factoryKpi(f.id(), "oee"), figure("factory", f.id(), 0), true);
        for (Line l : f.lines()) {
          publish(kpiJob, Topics.lineKpi(f.id(), l.id(), "oee"), figure("line", l.id(), 0), true);
        }
      }
      Vertx server = Vertx.vertx();
      // One user for the request load; a screen of its own for each SSE client, as the API
      // allows a user only a few open streams.
      List<ApiUser> list = new ArrayList<>();
      list.add(new ApiUser("bench", Role.PARK_OPERATOR, null));
      for (int i = 0; i < clients; i++) {
        list.add(new ApiUser("screen-" + i, Role.PARK_OPERATOR, null));
      }
      UsersFile users = new UsersFile(list);
      ApiSecurity security =
          new ApiSecurity(server, "bench-key-0123456789abcdef012345", users, 1e9);
      String token = security.issue(users.users().get(0), Duration.ofHours(1));
      List<String> screenTokens = new ArrayList<>();
      for (ApiUser screen : users.users().subList(1, users.users().size())) {
        screenTokens.add(security.issue(screen, Duration.ofHours(1)));
      }
      ApiVerticle api =
          new ApiVerticle(
              park,
              new InfluxKpiStore(
                  InfluxEndpoint.open("http://127.0.0.1:9"),
                  "gemba",
                  "gemba_actions",
                  Duration.ofSeconds(10)),
              security,
              List.of(),
              LiveFeed.start(server, broker.endpoint()),
              "127.0.0.1",
              0);
      server.deployVerticle(api).await(30, TimeUnit.SECONDS);
      Thread.sleep(1_000); // the retained figures reach the feed
      // The server's event-loop threads exist now; the client's are made after.
      List<Long> serverThreads = eventLoopThreads();
      Vertx client = Vertx.vertx();
      try {
        liveOee(
            client,
            api.actualPort(),
            token,
            park.factories().get(0).id(),
            connections,
            seconds,
            serverThreads);
        fanOut(client, api.actualPort(), screenTokens, kpiJob, seconds);
      } finally {
        client.close().await(10, TimeUnit.SECONDS);
        server.close().await(10, TimeUnit.SECONDS);
        kpiJob.disconnect();
        kpiJob.close();
      }
    }
  }

  private static String figure(String scope, String id, long sentNs) {
    return "{\"scope\":\""
        + scope
        + "\",\"id\":\""
        + id
        + "\",\"oee\":0.71,\"sentNs\":"
        + sentNs
        + "}";
  }

  private static void publish(MqttClient c, String topic, String json, boolean retained)
      throws Exception {
    c.publish(topic, json.getBytes(StandardCharsets.UTF_8), 1, retained);
  }

  /** The ids of the live Vert.x event-loop threads. */
  private static List<Long> eventLoopThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("vert.x-eventloop-thread-"))
        .map(Thread::getId)
        .toList();
  }

  private static long cpuNanos(List<Long> threads) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    return threads.stream().mapToLong(mx::getThreadCpuTime).filter(n -> n > 0).sum();
  }

  private static void liveOee(
      Vertx vertx,
      int port,
      String token,
      String factory,
      int connections,
      int seconds,
      List<Long> serverThreads)
      throws Exception {
    HttpClient http =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true),
            new PoolOptions().setHttp1MaxSize(connections));
    RequestOptions request =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setHost("127.0.0.1")
            .setPort(port)
            .setURI("/api/v1/live/latest?scope=factory&id=" + factory)
            .putHeader("Authorization", "Bearer " + token);
    Histogram latency = new ConcurrentHistogram(3);
    AtomicLong errors = new AtomicLong();
    long warmUpEnd = System.nanoTime() + 5_000_000_000L;
    long end = warmUpEnd + seconds * 1_000_000_000L;
    AtomicLong done = new AtomicLong();
    CountDownLatch finished = new CountDownLatch(connections);
    long cpu0 = 0;
    for (int c = 0; c < connections; c++) {
      loop(http, request, latency, errors, done, warmUpEnd, end, finished);
    }
    Thread.sleep(5_000);
    cpu0 = processCpuNanos();
    long serverCpu0 = cpuNanos(serverThreads);
    finished.await(seconds + 30L, TimeUnit.SECONDS);
    double cpu = (processCpuNanos() - cpu0) / 1e9;
    double serverCpu = (cpuNanos(serverThreads) - serverCpu0) / 1e9;
    System.out.printf(
        "live-oee connections=%d seconds=%d requests=%d req_per_s=%.0f p50_ms=%.2f p99_ms=%.2f"
            + " max_ms=%.2f errors=%d cpu_s=%.1f (client and server) req_per_cpu_s=%.0f"
            + " server_event_loop_cpu_s=%.1f req_per_server_cpu_s=%.0f%n",
        connections,
        seconds,
        done.get(),
        done.get() / (double) seconds,
        latency.getValueAtPercentile(50) / 1e6,
        latency.getValueAtPercentile(99) / 1e6,
        latency.getMaxValue() / 1e6,
        errors.get(),
        cpu,
        done.get() / cpu,
        serverCpu,
        done.get() / serverCpu);
    http.close();
  }

  private static void loop(
      HttpClient http,
      RequestOptions request,
      Histogram latency,
      AtomicLong errors,
      AtomicLong done,
      long warmUpEnd,
      long end,
      CountDownLatch finished) {
    long start = System.nanoTime();
    if (start >= end) {
      finished.countDown();
      return;
    }
    http.request(request)
        .compose(r -> r.send().compose(response -> response.body().map(b -> response.statusCode())))
        .onComplete(
            result -> {
              long now = System.nanoTime();
              if (now > warmUpEnd) {
                if (result.succeeded() && result.result() == 200) {
                  latency.recordValue(now - start);
                  done.incrementAndGet();
                } else {
                  errors.incrementAndGet();
                }
              }
              loop(http, request, latency, errors, done, warmUpEnd, end, finished);
            });
  }

  private static void fanOut(
      Vertx vertx, int port, List<String> tokens, MqttClient kpiJob, int seconds) throws Exception {
    int clients = tokens.size();
    HttpClient http =
        vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(clients));
    Histogram latency = new ConcurrentHistogram(3);
    AtomicLong delivered = new AtomicLong();
    CountDownLatch connected = new CountDownLatch(clients);
    for (int i = 0; i < clients; i++) {
      http.request(
              new RequestOptions()
                  .setMethod(HttpMethod.GET)
                  .setHost("127.0.0.1")
                  .setPort(port)
                  .setURI("/api/v1/live?scope=park")
                  .putHeader("Authorization", "Bearer " + tokens.get(i)))
          .compose(r -> r.send())
          .onSuccess(
              response -> {
                if (response.statusCode() != 200) {
                  System.err.println("sse refused: HTTP " + response.statusCode());
                  return;
                }
                connected.countDown();
                response.handler(
                    chunk -> {
                      long now = System.nanoTime();
                      String text = chunk.toString(StandardCharsets.UTF_8);
                      int at = text.indexOf("\"sentNs\":");
                      while (at >= 0) {
                        int from = at + 9;
                        int to = from;
                        while (to < text.length() && Character.isDigit(text.charAt(to))) {
                          to++;
                        }
                        long sent = Long.parseLong(text.substring(from, to));
                        if (sent > 0) {
                          latency.recordValue(Math.max(0, now - sent));
                          delivered.incrementAndGet();
                        }
                        at = text.indexOf("\"sentNs\":", to);
                      }
                    });
              })
          .onFailure(e -> System.err.println("sse connect failed: " + e));
    }
    if (!connected.await(60, TimeUnit.SECONDS)) {
      System.err.println("only " + (clients - connected.getCount()) + " SSE clients connected");
    }
    Thread.sleep(2_000);
    long cpu0 = processCpuNanos();
    for (int s = 0; s < seconds; s++) {
      publish(kpiJob, Topics.parkKpi("oee"), figure("park", "p", System.nanoTime()), true);
      Thread.sleep(1_000);
    }
    Thread.sleep(2_000);
    double cpu = (processCpuNanos() - cpu0) / 1e9;
    System.out.printf(
        "sse-fan-out clients=%d updates=%d delivered=%d expected=%d p50_ms=%.2f p99_ms=%.2f"
            + " max_ms=%.2f cpu_s=%.1f%n",
        clients,
        seconds,
        delivered.get(),
        (long) clients * seconds,
        latency.getValueAtPercentile(50) / 1e6,
        latency.getValueAtPercentile(99) / 1e6,
        latency.getMaxValue() / 1e6,
        cpu);
    http.close();
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
