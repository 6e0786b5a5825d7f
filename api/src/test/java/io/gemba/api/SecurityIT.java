package io.gemba.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemba.api.security.ApiSecurity;
import io.gemba.api.security.ApiUser;
import io.gemba.api.security.Role;
import io.gemba.api.security.UsersFile;
import io.gemba.jobs.anomaly.Anomaly;
import io.gemba.jobs.influx.InfluxPoints;
import io.gemba.model.asset.Park;
import io.gemba.model.config.ConfigException;
import io.gemba.model.config.YamlConfigLoader;
import io.gemba.services.InfluxDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The 400/401/403/413/429 matrix, and a plant engineer of factory A who cannot read factory B. */
class SecurityIT {

  /** 2026-01-01T00:00:10Z, the start of the anomalies acknowledged below. */
  private static final long T_ANOMALY = 1_767_225_610_000L;

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

  private static final String KEY = "security-test-key-0123456789abcdef";

  @TempDir static Path dir;
  static InfluxDatabase influx;
  static Vertx vertx;
  static String base;
  static Park park;
  static ApiSecurity security;
  static UsersFile users;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    influx = TestApi.influx(dir.resolve("influx"));
    park = new YamlConfigLoader().parse(Path.of("park.yaml"), PARK, Park.class);
    Path usersFile = dir.resolve("users.yaml");
    Files.writeString(
        usersFile,
        """
        users:
          - { name: ops, role: park-operator }
          - { name: eng-a, role: plant-engineer, factory: fa }
          - { name: view-b, role: viewer, factory: fb }
          - { name: busy, role: viewer }
        """);
    users = UsersFile.load(usersFile, park);
    vertx = Vertx.vertx();
    TestApi api =
        TestApi.builder(vertx, park)
            .influx(influx.url())
            .users(users)
            .origins("https://dash.example")
            .key(KEY)
            .ratePerSecond(20)
            .start();
    security = api.security();
    base = api.base();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    influx.close();
  }

  private static String token(String user) {
    return security.issue(users.find(user).orElseThrow(), Duration.ofHours(1));
  }

  private static HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void assertProblem(HttpResponse<String> r, int status, String detail) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
    assertThat(new JsonObject(r.body()).getString("detail")).contains(detail);
  }

  @Test
  void withoutAValidToken_401() throws Exception {
    HttpResponse<String> none = get("/api/v1/assets", null);
    assertProblem(none, 401, "bearer token is required");
    assertThat(none.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    assertProblem(get("/api/v1/assets", "not-a-jwt"), 401, "not valid");
    // Signed with another key.
    Vertx other = Vertx.vertx();
    try {
      String forged =
          new ApiSecurity(other, "another-key-0123456789abcdef0123", users, 5)
              .issue(users.find("ops").orElseThrow(), Duration.ofHours(1));
      assertProblem(get("/api/v1/assets", forged), 401, "not valid");
      // A user removed from the file: the token, though well signed, no longer opens the API.
      UsersFile withGhost = new UsersFile(List.of(new ApiUser("ghost", Role.PARK_OPERATOR, null)));
      String ghost =
          new ApiSecurity(other, KEY, withGhost, 5)
              .issue(withGhost.users().get(0), Duration.ofHours(1));
      assertProblem(get("/api/v1/assets", ghost), 401, "not in the users file");
    } finally {
      other.close();
    }
    // The health check stays open for load balancers.
    assertThat(get("/health", null).statusCode()).isEqualTo(200);
  }

  @Test
  void plantEngineerOfFactoryA_cannotReadFactoryB() throws Exception {
    String engineer = token("eng-a");
    assertThat(get("/api/v1/factories/fa/oee", engineer).statusCode()).isEqualTo(200);
    assertThat(get("/api/v1/machines/m-a/oee", engineer).statusCode()).isEqualTo(200);
    assertProblem(get("/api/v1/factories/fb/oee", engineer), 403, "reads factory 'fa' only");
    assertProblem(get("/api/v1/machines/m-b/oee", engineer), 403, "reads factory 'fa' only");
    assertProblem(get("/api/v1/machines/m-b/live", engineer), 403, "fa");
    assertProblem(get("/api/v1/factories/fb/lines/l1/losses", engineer), 403, "fa");
    assertProblem(get("/api/v1/park/oee", engineer), 403, "not the park");
    assertProblem(get("/api/v1/anomalies?factory=fb", engineer), 403, "fa");
    assertProblem(get("/api/v1/gaps", engineer), 403, "not the park");
    // The hierarchy shows their own factory only.
    JsonObject assets = new JsonObject(get("/api/v1/assets", engineer).body());
    assertThat(assets.getJsonArray("factories")).hasSize(1);
    assertThat(assets.getJsonArray("factories").getJsonObject(0).getString("id")).isEqualTo("fa");
    // A viewer of B likewise; the park operator reads everything.
    assertProblem(get("/api/v1/factories/fa/oee", token("view-b")), 403, "fb");
    String ops = token("ops");
    assertThat(get("/api/v1/park/oee", ops).statusCode()).isEqualTo(200);
    assertThat(get("/api/v1/factories/fb/oee", ops).statusCode()).isEqualTo(200);
    assertThat(new JsonObject(get("/api/v1/assets", ops).body()).getJsonArray("factories"))
        .hasSize(2);
  }

  @Test
  void badParameter_400_evenWhenSignedIn() throws Exception {
    HttpResponse<String> r = get("/api/v1/factories/fa/oee?window=week", token("eng-a"));
    assertProblem(r, 400, "1m, 1h, day, shift");
    assertThat(new JsonObject(r.body()).getString("parameter")).isEqualTo("window");
  }

  @Test
  void oversizedBody_413() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/assets"))
                .header("Authorization", "Bearer " + token("ops"))
                .POST(
                    HttpRequest.BodyPublishers.ofByteArray(
                        new byte[(int) ApiVerticle.BODY_LIMIT + 1]))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
  }

  @Test
  void beyondTheRatePerUser_429_andOtherUsersAreNotHeldBack() throws Exception {
    String busy = token("busy");
    List<Integer> statuses = new ArrayList<>();
    HttpResponse<String> limited = null;
    for (int i = 0; i < 120; i++) {
      HttpResponse<String> r = get("/api/v1/assets", busy);
      statuses.add(r.statusCode());
      if (r.statusCode() == 429) {
        limited = r;
      }
    }
    // 20 per second with bursts of 40: 120 back-to-back requests cannot all pass.
    assertThat(statuses).contains(200, 429);
    assertThat(limited.headers().firstValue("Retry-After")).isPresent();
    assertThat(get("/api/v1/assets", token("ops")).statusCode()).isEqualTo(200);
  }

  @Test
  void cors_allowsTheConfiguredOriginOnly() throws Exception {
    HttpResponse<String> allowed =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/assets"))
                .header("Origin", "https://dash.example")
                .header("Authorization", "Bearer " + token("ops"))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin"))
        .contains("https://dash.example");
    HttpResponse<String> other =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/assets"))
                .header("Origin", "https://evil.example")
                .header("Authorization", "Bearer " + token("ops"))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }

  @Test
  void usersFile_errorsNameTheFieldAndWhatWasExpected() throws Exception {
    Path bad = dir.resolve("bad-users.yaml");
    Files.writeString(bad, "users:\n  - { name: x, role: plant-engineer, factory: nowhere }\n");
    Assertions.assertThatThrownBy(() -> UsersFile.load(bad, park))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("users[0].factory")
        .hasMessageContaining("nowhere");
    Files.writeString(bad, "users:\n  - { name: x, role: admin }\n");
    Assertions.assertThatThrownBy(() -> UsersFile.load(bad, park))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("park-operator, plant-engineer, viewer");
    Files.writeString(bad, "users:\n  - { name: x, role: plant-engineer }\n");
    Assertions.assertThatThrownBy(() -> UsersFile.load(bad, park))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("users[0].factory");
  }

  private static HttpResponse<String> post(String path, String token, String body)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void onlyAPlantEngineerOfItsFactory_acknowledgesAnAnomaly() throws Exception {
    TestApi.write(
        influx.url(),
        InfluxPoints.anomaly(
            new Anomaly(
                "fa",
                "l1",
                "m-a",
                "load",
                "outlier",
                9,
                T_ANOMALY,
                T_ANOMALY + 1_000,
                "load jumped")),
        InfluxPoints.anomaly(
            new Anomaly(
                "fb",
                "l1",
                "m-b",
                "load",
                "stuck",
                15,
                T_ANOMALY,
                T_ANOMALY + 1_000,
                "load stuck")));
    String ack =
        "{\"machine\":\"m-a\",\"signal\":\"load\",\"rule\":\"outlier\","
            + "\"start\":\"2026-01-01T00:00:10Z\"}";
    assertProblem(post("/api/v1/anomalies/acknowledge", token("ops"), ack), 403, "plant-engineer");
    assertProblem(
        post("/api/v1/anomalies/acknowledge", token("view-b"), ack), 403, "plant-engineer");
    assertProblem(
        post("/api/v1/anomalies/acknowledge", token("eng-a"), ack.replace("m-a", "m-b")),
        403,
        "fa");
    assertProblem(
        post("/api/v1/anomalies/acknowledge", token("eng-a"), ack.replace("00:10Z", "00:11Z")),
        404,
        "no such anomaly");
    HttpResponse<String> bad =
        post("/api/v1/anomalies/acknowledge", token("eng-a"), "{\"machine\":\"m-a\"}");
    assertProblem(bad, 400, "signal");
    assertThat(post("/api/v1/anomalies/acknowledge", token("eng-a"), ack).statusCode())
        .isEqualTo(204);
    JsonObject listed =
        new JsonObject(
                get(
                        "/api/v1/anomalies?from=2026-01-01T00:00:00Z&to=2026-01-01T01:00:00Z",
                        token("eng-a"))
                    .body())
            .getJsonArray("anomalies")
            .getJsonObject(0);
    assertThat(listed.getString("acknowledgedBy")).isEqualTo("eng-a");
    assertThat(listed.getString("machine")).isEqualTo("m-a");
  }
}
