package io.gemba.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gemba.api.http.SecurityHeaders;
import io.gemba.api.security.ApiSecurity;
import io.gemba.api.security.ApiUser;
import io.gemba.api.security.Role;
import io.gemba.api.security.UsersFile;
import io.gemba.model.asset.MachineState;
import io.gemba.model.asset.Park;
import io.gemba.model.config.InvalidFieldException;
import io.gemba.model.config.YamlConfigLoader;
import io.gemba.model.storage.Schema;
import io.gemba.services.InfluxDatabase;
import io.gemba.services.plant.PlantSecrets;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.influxdb.dto.Point;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The API against abuse: bodies only after authentication and never as uploads, 403 before 404 for
 * another factory's ids, the security headers on every response, problem bodies without internal
 * words, a key file that is the owner's alone, token lifetimes per role, CSV cells that a
 * spreadsheet will not run, and HTTPS.
 */
class ApiHardeningIT {

  static final Park PARK =
      new YamlConfigLoader()
          .parse(
              Path.of("park.yaml"),
              """
              id: p
              factories:
                - { id: fa, timeZone: UTC, lines: [ { id: l1, machines: [ { id: m-a, kind: cnc, idealCycleSeconds: 20 } ] } ] }
                - { id: fb, timeZone: UTC, lines: [ { id: l1, machines: [ { id: m-b, kind: cnc, idealCycleSeconds: 20 } ] } ] }
              """,
              Park.class);

  static final List<ApiUser> USERS =
      List.of(
          new ApiUser("ops", Role.PARK_OPERATOR, null),
          new ApiUser("eng-a", Role.PLANT_ENGINEER, "fa"),
          new ApiUser("view-b", Role.VIEWER, "fb"));

  @TempDir static Path dir;
  static InfluxDatabase influx;
  static Vertx vertx;
  static TestApi api;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    influx = TestApi.influx(dir.resolve("influx"));
    vertx = Vertx.vertx();
    api = TestApi.builder(vertx, PARK).influx(influx.url()).users(USERS).start();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    influx.close();
  }

  private static HttpResponse<String> get(String path, String user) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api.base() + path)).GET();
    if (user != null) {
      b.header("Authorization", "Bearer " + api.tokens().get(user));
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> multipart(String user) throws Exception {
    String boundary = "gemba-test-boundary";
    String body =
        "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.bin\"\r\n"
            + "Content-Type: application/octet-stream\r\n\r\n"
            + "x".repeat(20_000)
            + "\r\n--"
            + boundary
            + "--\r\n";
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(api.base() + "/api/v1/anomalies/acknowledge"))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (user != null) {
      b.header("Authorization", "Bearer " + api.tokens().get(user));
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void multipartUpload_unauthenticated401_authenticated415_andNoFileIsLeft() throws Exception {
    // Vert.x keeps uploads in file-uploads/ under the working directory unless told not to.
    Path workingDir = Path.of("").toAbsolutePath();
    assertThat(workingDir.resolve("file-uploads"))
        .as("left by an earlier run; delete it")
        .doesNotExist();
    List<Path> before = entries(workingDir);

    HttpResponse<String> anonymous = multipart(null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    HttpResponse<String> signedIn = multipart("eng-a");
    assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(415);
    assertThat(new JsonObject(signedIn.body()).getString("parameter")).isEqualTo("Content-Type");

    assertThat(workingDir.resolve("file-uploads")).doesNotExist();
    assertThat(entries(workingDir)).isEqualTo(before);
  }

  private static List<Path> entries(Path dir) throws Exception {
    try (Stream<Path> list = Files.list(dir)) {
      return list.sorted().toList();
    }
  }

  @Test
  void anotherFactorysIds_get403_whetherTheyExistOrNot_beforeAny404() throws Exception {
    for (String path :
        List.of(
            "/api/v1/machines/m-b/oee",
            "/api/v1/machines/no-such-machine/oee",
            "/api/v1/machines/no-such-machine/live",
            "/api/v1/machines/no-such-machine/states",
            "/api/v1/factories/fb/oee",
            "/api/v1/factories/no-such-factory/oee",
            "/api/v1/factories/no-such-factory/lines/l9/losses",
            "/api/v1/factories/no-such-factory/states",
            "/api/v1/anomalies?machine=no-such-machine",
            "/api/v1/anomalies?factory=no-such-factory",
            "/api/v1/live/latest?scope=machine&id=no-such-machine",
            "/api/v1/live/latest?scope=factory&id=no-such-factory")) {
      HttpResponse<String> r = get(path, "eng-a");
      assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(403);
      assertThat(new JsonObject(r.body()).getString("detail"))
          .as(path)
          .isEqualTo("user 'eng-a' reads factory 'fa' only");
    }
    // Someone who reads the whole park learns that an id does not exist.
    assertThat(get("/api/v1/machines/no-such-machine/oee", "ops").statusCode()).isEqualTo(404);
    assertThat(get("/api/v1/factories/no-such-factory/oee", "ops").statusCode()).isEqualTo(404);
    assertThat(get("/api/v1/machines/m-a/oee", "eng-a").statusCode()).isEqualTo(200);
  }

  @Test
  void everyResponse_carriesTheSecurityHeaders() throws Exception {
    for (String[] request :
        new String[][] {
          {"/dashboard/", null},
          {"/dashboard/index.html", null},
          {"/dashboard/js/app.js", null},
          {"/dashboard/style.css", null},
          {"/dashboard/vendor/uplot/uPlot.iife.min.js", null},
          {"/dashboard/config.json", null},
          {"/dashboard/no-such-file.js", null},
          {"/", null},
          {"/health", null},
          {"/api/v1/openapi.yaml", null},
          {"/api/v1/assets", null},
          {"/api/v1/assets", "ops"},
          {"/api/v1/no-such-endpoint", "ops"},
        }) {
      HttpResponse<String> r = get(request[0], request[1]);
      String what = request[0] + " (" + r.statusCode() + ")";
      assertThat(r.headers().firstValue("Content-Security-Policy"))
          .as(what)
          .contains(SecurityHeaders.CONTENT_SECURITY_POLICY);
      assertThat(SecurityHeaders.CONTENT_SECURITY_POLICY)
          .contains("frame-ancestors 'none'", "script-src 'self'", "style-src 'self'")
          .doesNotContain("unsafe");
      assertThat(r.headers().firstValue("X-Content-Type-Options")).as(what).contains("nosniff");
      assertThat(r.headers().firstValue("Referrer-Policy")).as(what).contains("no-referrer");
      assertThat(r.headers().firstValue("X-Frame-Options")).as(what).contains("DENY");
      assertThat(r.headers().firstValue("X-Request-Id")).as(what).isPresent();
    }
    assertThat(get("/api/v1/assets", "ops").headers().firstValue("Cache-Control"))
        .contains("no-store");
  }

  @Test
  void failures_answerWithoutInternalWords_butWithARequestIdInTheLog() throws Exception {
    // A device sent text where a number belongs: InfluxDB refuses to average it, in its words.
    // The job never writes such a point; it is built with the storage contract's names.
    TestApi.write(
        influx.url(),
        Point.measurement(Schema.TELEMETRY)
            .time(System.currentTimeMillis() - 60_000, TimeUnit.MILLISECONDS)
            .tag(Schema.FACTORY, "fa")
            .tag(Schema.LINE, "l1")
            .tag(Schema.MACHINE, "m-a")
            .tag(Schema.SIGNAL, "load")
            .addField(Schema.VALUE, "oops")
            .build());
    HttpResponse<String> failed = get("/api/v1/machines/m-a/signals/load", "ops");
    assertThat(failed.statusCode()).as(failed.body()).isEqualTo(500);
    JsonObject body = new JsonObject(failed.body());
    assertThat(body.getString("requestId"))
        .isEqualTo(failed.headers().firstValue("X-Request-Id").orElseThrow());
    assertThat(failed.body())
        .doesNotContainIgnoringCase("exception")
        .doesNotContainIgnoringCase("influx")
        .doesNotContain("mean", "string", "iterator", "java.");

    // InfluxDB that does not answer: 503, again without the client's words.
    Vertx other = Vertx.vertx();
    try {
      TestApi down = TestApi.builder(other, PARK).users(USERS).ratePerSecond(100).start();
      HttpResponse<String> unavailable =
          http.send(
              HttpRequest.newBuilder(URI.create(down.base() + "/api/v1/machines/m-a/live"))
                  .header("Authorization", "Bearer " + down.token())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(unavailable.statusCode()).isEqualTo(503);
      assertThat(unavailable.body())
          .doesNotContain("127.0.0.1:9", "refused", "Failed to connect", "java.")
          .contains("requestId");
    } finally {
      other.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void keyFile_isCreatedOwnerOnly_andAnOpenOrShortKeyIsRefused() throws Exception {
    Path created = dir.resolve("keys/new.key");
    String key = ApiSecurity.loadOrCreateKey(created);
    assertThat(key.length()).isGreaterThanOrEqualTo(32);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(created)))
        .isEqualTo("rw-------");
    assertThat(ApiSecurity.loadOrCreateKey(created)).isEqualTo(key);

    Path open = dir.resolve("keys/open.key");
    Files.writeString(open, "k".repeat(44));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> ApiSecurity.loadOrCreateKey(open))
        .isInstanceOf(InvalidFieldException.class)
        .hasMessageContaining("--key-file")
        .hasMessageContaining("chmod 600");

    Path shortKey = dir.resolve("keys/short.key");
    Files.writeString(shortKey, "too-short");
    Files.setPosixFilePermissions(shortKey, PosixFilePermissions.fromString("rw-------"));
    assertThatThrownBy(() -> ApiSecurity.loadOrCreateKey(shortKey))
        .isInstanceOf(InvalidFieldException.class)
        .hasMessageContaining("at least 32");
  }

  @Test
  void tokenLifetimes_areBoundedPerRole_atIssueAndOnEveryRequest() throws Exception {
    ApiSecurity security = new ApiSecurity(vertx, TestApi.KEY, new UsersFile(USERS), 100);
    assertThatThrownBy(() -> security.issue(USERS.get(1), Duration.ofHours(13)))
        .hasMessageContaining("12 hours");
    assertThatThrownBy(() -> security.issue(USERS.get(2), Duration.ofDays(366)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(security.issue(USERS.get(2), Duration.ofDays(365))).isNotBlank();

    // A token signed with the right key but valid for 30 days, as the API issued them before:
    // for a plant engineer it no longer opens the API; for the viewer's wall screen it does.
    JWTAuth jwt =
        JWTAuth.create(
            vertx,
            new JWTAuthOptions()
                .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(TestApi.KEY)));
    JWTOptions thirtyDays =
        new JWTOptions().setAlgorithm("HS256").setExpiresInSeconds(30 * 24 * 3600);
    String engineer =
        jwt.generateToken(
            new JsonObject().put("sub", "eng-a").put("role", "plant-engineer").put("typ", "access"),
            thirtyDays);
    String viewer =
        jwt.generateToken(
            new JsonObject().put("sub", "view-b").put("role", "viewer").put("typ", "access"),
            thirtyDays);
    HttpResponse<String> refused =
        http.send(
            HttpRequest.newBuilder(URI.create(api.base() + "/api/v1/me"))
                .header("Authorization", "Bearer " + engineer)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.body()).contains("valid longer than a plant-engineer's token may be");
    HttpResponse<String> wallScreen =
        http.send(
            HttpRequest.newBuilder(URI.create(api.base() + "/api/v1/me"))
                .header("Authorization", "Bearer " + viewer)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(wallScreen.statusCode()).isEqualTo(200);
  }

  @Test
  void csvCells_thatASpreadsheetWouldRun_areNeutralised_numbersAreNot() throws Exception {
    long t = System.currentTimeMillis() - 3_600_000;
    TestApi.write(
        influx.url(),
        TestApi.state("fa", "l1", "m-a", t, MachineState.DOWN, "=HYPERLINK(\"http://x\")"),
        TestApi.state("fa", "l1", "m-a", t + 1000, MachineState.DOWN, "+cmd"),
        TestApi.state("fa", "l1", "m-a", t + 2000, MachineState.DOWN, "@SUM(A1)"),
        TestApi.state("fa", "l1", "m-a", t + 3000, MachineState.DOWN, "-2+3"));
    HttpResponse<String> csv = get("/api/v1/machines/m-a/states?format=csv", "ops");
    assertThat(csv.statusCode()).as(csv.body()).isEqualTo(200);
    assertThat(csv.body())
        .contains("'=HYPERLINK", "'+cmd", "'@SUM(A1)", "'-2+3")
        .doesNotContain(",=HYPERLINK", ",+cmd", ",@SUM", ",-2+3");
    // Cells that are no formula stay as they are: every row starts with its ISO start time.
    assertThat(csv.body().lines().skip(1))
        .hasSize(4)
        .allSatisfy(line -> assertThat(line).matches("\\d{4}-.*"));
  }

  @Test
  void tlsListener_servesHttpsWithTheGivenCertificate_andTellsBrowsersToStayOnIt()
      throws Exception {
    PlantSecrets secrets = PlantSecrets.openOrCreate(dir.resolve("secrets"));
    Path cert = secrets.serverCertificate("api", List.of("127.0.0.1", "localhost"));
    TestApi https =
        TestApi.builder(vertx, PARK)
            .influx(influx.url())
            .users(USERS)
            .configure(
                (verticle, security) ->
                    verticle.tls(new ApiVerticle.ServerTls(cert, secrets.serverKey("api"))))
            .start();
    assertThat(https.base()).startsWith("https://127.0.0.1:");
    SSLContext trusting =
        io.gemba.connect.TlsSockets.context(
                "test", new io.gemba.connect.TlsFiles(secrets.caFile(), null, null))
            .context();
    HttpResponse<String> health =
        HttpClient.newBuilder()
            .sslContext(trusting)
            .build()
            .send(
                HttpRequest.newBuilder(URI.create(https.base() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.headers().firstValue("Strict-Transport-Security")).isPresent();
    assertThatThrownBy(
            () ->
                http.send(
                    HttpRequest.newBuilder(
                            URI.create(https.base().replace("https://", "http://") + "/health"))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                    HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class);
    // A client that does not trust the CA is refused.
    assertThatThrownBy(
            () ->
                http.send(
                    HttpRequest.newBuilder(URI.create(https.base() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString()))
        .hasStackTraceContaining("PKIX");
  }

  @Test
  void tokenCommand_asTheDocsShowIt_issuesLongTokensForViewersOnly() throws Exception {
    Path park = TestApi.writeParkFile(dir.resolve("token-park.yaml"));
    Path users = dir.resolve("token-users.yaml");
    Files.writeString(
        users,
        "users:\n  - { name: wall-screen, role: viewer, factory: fa }\n"
            + "  - { name: li-wei, role: plant-engineer, factory: fa }\n");
    Path key = dir.resolve("token-key/api.key");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli =
        new CommandLine(new ApiCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
    BiFunction<String, String, Integer> token =
        (user, days) ->
            cli.execute(
                "token",
                "--park",
                park.toString(),
                "--users",
                users.toString(),
                "--key-file",
                key.toString(),
                "--user",
                user,
                "--days",
                days);
    int viewer = token.apply("wall-screen", "30");
    assertThat(viewer).as(err.toString()).isZero();
    String issued = out.toString().strip();
    JsonObject claims =
        new JsonObject(
            new String(
                Base64.getUrlDecoder().decode(issued.split("\\.")[1]), StandardCharsets.UTF_8));
    assertThat(claims.getLong("exp") - claims.getLong("iat")).isEqualTo(30L * 24 * 3600);
    int engineer = token.apply("li-wei", "2");
    assertThat(engineer).isEqualTo(2);
    assertThat(err.toString()).contains("--days", "12 hours", "sign in");
  }
}
