package io.gemba.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gemba.api.live.LiveFeed;
import io.gemba.api.live.LiveHandler;
import io.gemba.api.security.ApiSecurity;
import io.gemba.api.security.ApiUser;
import io.gemba.api.security.Role;
import io.gemba.api.security.UsersFile;
import io.gemba.model.asset.Park;
import io.gemba.model.config.YamlConfigLoader;
import io.gemba.services.MosquittoBroker;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server-Sent Events fed from the KPI job's live topics on a real mosquitto: the current figures
 * first, then events of the scope only, a reconnect with Last-Event-ID that resumes where it left
 * off, and the scope checked against the token.
 */
@Timeout(60) // a stream accepted by mistake never ends: fail rather than hang
class LiveStreamIT {

  private static final String PARK =
      """
      id: p
      factories:
        - id: fa
          timeZone: UTC
          lines: [ { id: l1, machines: [ { id: m-a, kind: cnc, idealCycleSeconds: 20 } ] } ]
        - id: fb
          timeZone: UTC
          lines: [ { id: l1, machines: [ { id: m-b, kind: cnc, idealCycleSeconds: 20 } ] } ]
      """;

  @TempDir static Path dir;
  static MosquittoBroker broker;
  static MqttClient kpiJob;
  static Vertx vertx;
  static String base;
  static String opsToken;
  static String engineerToken;
  static ApiSecurity security;
  static UsersFile users;
  static final HttpClient http = HttpClient.newHttpClient();

  /**
   * Reads the endless event streams; never the test thread, which would block on a stream whose
   * headers arrived before the reader was attached.
   */
  static final ExecutorService READERS =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "sse-reader");
            t.setDaemon(true);
            return t;
          });

  @BeforeAll
  static void start() throws Exception {
    broker = MosquittoBroker.start(dir.resolve("mosquitto"));
    kpiJob = new MqttClient(broker.url(), "kpi-job", new MemoryPersistence());
    kpiJob.connect(new MqttConnectionOptions());
    // Retained before the API starts: the current figure a client gets on connecting.
    publish("gemba/v1/fa/kpi/oee", "{\"scope\":\"factory\",\"id\":\"fa\",\"oee\":0.5}", true);
    Park park = new YamlConfigLoader().parse(Path.of("park.yaml"), PARK, Park.class);
    users =
        new UsersFile(
            List.of(
                new ApiUser("ops", Role.PARK_OPERATOR, null),
                new ApiUser("eng-a", Role.PLANT_ENGINEER, "fa"),
                new ApiUser("wall", Role.VIEWER, "fa")));
    vertx = Vertx.vertx();
    TestApi api =
        TestApi.builder(vertx, park)
            .live(LiveFeed.start(vertx, broker.endpoint()))
            .users(users)
            .ratePerSecond(100)
            .start();
    security = api.security();
    opsToken = api.tokens().get("ops");
    engineerToken = api.tokens().get("eng-a");
    base = api.base();
  }

  @AfterAll
  static void stop() throws Exception {
    kpiJob.disconnect();
    kpiJob.close();
    vertx.close().await(10, TimeUnit.SECONDS);
    broker.close();
  }

  private static void publish(String topic, String json, boolean retained) throws Exception {
    kpiJob.publish(topic, json.getBytes(StandardCharsets.UTF_8), 1, retained);
  }

  /** The SSE lines of one connection, collected as they arrive. */
  private static List<String> open(String query, String lastEventId) {
    List<String> lines = new CopyOnWriteArrayList<>();
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/api/v1/live?" + query));
    if (lastEventId != null) {
      b.header("Last-Event-ID", lastEventId);
    }
    http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofLines())
        .thenAcceptAsync(r -> r.body().forEach(lines::add), READERS);
    return lines;
  }

  private static List<String> data(List<String> lines) {
    return lines.stream().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
  }

  @Test
  void factoryStream_currentFiguresThenItsOwnEvents_andResumesAfterTheLastEventId()
      throws Exception {
    List<String> lines = open("scope=factory&id=fa&access_token=" + engineerToken, null);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> data(lines).stream().anyMatch(d -> d.contains("\"oee\":0.5")));

    publish("gemba/v1/fb/kpi/oee", "{\"scope\":\"factory\",\"id\":\"fb\",\"oee\":0.9}", true);
    publish("gemba/v1/fa/l1/kpi/oee", "{\"scope\":\"line\",\"id\":\"l1\",\"oee\":0.61}", true);
    publish("gemba/v1/fa/l1/m-a/kpi/anomaly", "{\"rule\":\"outlier\",\"machine\":\"m-a\"}", false);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> data(lines).stream().anyMatch(d -> d.contains("outlier")));
    assertThat(data(lines)).noneMatch(d -> d.contains("\"id\":\"fb\""));
    assertThat(lines).contains("event: anomaly");
    List<String> ids =
        lines.stream().filter(l -> l.startsWith("id: ")).map(l -> l.substring(4)).toList();
    assertThat(ids).hasSize(3);

    // Reconnecting after the first event: the two after it, nothing twice.
    List<String> resumed = open("scope=factory&id=fa&access_token=" + engineerToken, ids.get(0));
    await().atMost(Duration.ofSeconds(10)).until(() -> data(resumed).size() >= 2);
    assertThat(data(resumed)).hasSize(2);
    assertThat(data(resumed).get(0)).contains("0.61");
  }

  @Test
  void parkStream_carriesTheFactoriesFigures_forTheParkOperator() throws Exception {
    List<String> lines = open("scope=park&access_token=" + opsToken, null);
    publish("gemba/v1/kpi/oee", "{\"scope\":\"park\",\"id\":\"p\",\"oee\":0.7}", true);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                data(lines).stream().anyMatch(d -> d.contains("\"scope\":\"park\""))
                    && data(lines).stream().anyMatch(d -> d.contains("\"id\":\"fa\"")));
  }

  @Test
  void scopeIsCheckedAgainstTheToken_andTheParameters() throws Exception {
    HttpResponse<String> park =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(base + "/api/v1/live?scope=park&access_token=" + engineerToken))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(park.statusCode()).isEqualTo(403);
    HttpResponse<String> other =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        base + "/api/v1/live?scope=factory&id=fb&access_token=" + engineerToken))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(other.statusCode()).isEqualTo(403);
    HttpResponse<String> bad =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(base + "/api/v1/live?scope=plant&access_token=" + opsToken))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(bad.body()).getString("parameter")).isEqualTo("scope");
    HttpResponse<String> none =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/live?scope=park")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(none.statusCode()).isEqualTo(401);
    // The token as a parameter is for the live stream only.
    HttpResponse<String> elsewhere =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/assets?access_token=" + opsToken))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(elsewhere.statusCode()).isEqualTo(401);
  }

  @Test
  void latest_servesTheCurrentFiguresOfAScopeFromMemory() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/live/latest?scope=factory&id=fa"))
                .header("Authorization", "Bearer " + engineerToken)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonObject body = new JsonObject(r.body());
    assertThat(body.getString("stream")).isEqualTo("factory/fa");
    assertThat(body.getJsonArray("latest").stream().map(e -> ((JsonObject) e).getString("topic")))
        .contains("gemba/v1/fa/kpi/oee")
        .doesNotContain("gemba/v1/fb/kpi/oee");
  }

  @Test
  void aStream_endsWhenItsTokenExpires_withAnExpiredEvent() throws Exception {
    String shortLived = security.issue(users.find("eng-a").orElseThrow(), Duration.ofSeconds(3));
    List<String> lines = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> ended =
        http.sendAsync(
                HttpRequest.newBuilder(
                        URI.create(
                            base + "/api/v1/live?scope=factory&id=fa&access_token=" + shortLived))
                    .build(),
                HttpResponse.BodyHandlers.ofLines())
            .thenAcceptAsync(r -> r.body().forEach(lines::add), READERS);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> data(lines).stream().anyMatch(d -> d.contains("\"oee\":0.5")));
    assertThat(lines).doesNotContain("event: expired");
    ended.get(10, TimeUnit.SECONDS);
    assertThat(lines).contains("event: expired");
  }

  @Test
  void eachUser_mayHoldAFewStreamsOpen_notAnyNumber() throws Exception {
    String wall = security.issue(users.find("wall").orElseThrow(), Duration.ofHours(1));
    List<CompletableFuture<HttpResponse<Stream<String>>>> open = new ArrayList<>();
    for (int i = 0; i < LiveHandler.MAX_STREAMS_PER_USER; i++) {
      open.add(
          http.sendAsync(
              HttpRequest.newBuilder(
                      URI.create(base + "/api/v1/live?scope=factory&id=fa&access_token=" + wall))
                  .build(),
              HttpResponse.BodyHandlers.ofLines()));
    }
    for (var stream : open) {
      assertThat(stream.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
    // Bounded wait: were the stream accepted, its body would never end.
    HttpResponse<String> oneMore =
        http.sendAsync(
                HttpRequest.newBuilder(
                        URI.create(base + "/api/v1/live?scope=factory&id=fa&access_token=" + wall))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .get(10, TimeUnit.SECONDS);
    assertThat(oneMore.statusCode()).isEqualTo(429);
    assertThat(oneMore.body()).contains("live streams open already");
    // Another user is not affected.
    HttpResponse<Stream<String>> other =
        http.sendAsync(
                HttpRequest.newBuilder(
                        URI.create(
                            base
                                + "/api/v1/live?scope=factory&id=fa&access_token="
                                + engineerToken))
                    .build(),
                HttpResponse.BodyHandlers.ofLines())
            .get(10, TimeUnit.SECONDS);
    assertThat(other.statusCode()).isEqualTo(200);
    // Closing one stream frees its place.
    open.get(0).get().body().close();
    AtomicReference<HttpResponse<Stream<String>>> again = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              HttpResponse<Stream<String>> r =
                  http.sendAsync(
                          HttpRequest.newBuilder(
                                  URI.create(
                                      base
                                          + "/api/v1/live?scope=factory&id=fa&access_token="
                                          + wall))
                              .build(),
                          HttpResponse.BodyHandlers.ofLines())
                      .get(10, TimeUnit.SECONDS);
              if (r.statusCode() == 200) {
                again.set(r);
                return true;
              }
              return false;
            });
    again.get().body().close();
    for (var stream : open) {
      stream.get().body().close();
    }
    other.body().close();
  }
}
