package io.gemba.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.gemba.api.security.ApiUser;
import io.gemba.api.security.PasswordHash;
import io.gemba.api.security.PasswordsFile;
import io.gemba.api.security.SignIn;
import io.gemba.api.security.UsersFile;
import io.gemba.services.InfluxDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Signing in as a person: a user name and a password checked against the passwords file, a session
 * whose refresh token only the browser's cookie jar holds, short access tokens, sign-out that ends
 * every token of the session, and guessing slowed down and logged without the password.
 */
class SignInIT {

  private static final String ENGINEER_PASSWORD = "the-engineer's password 1";

  @TempDir static Path dir;
  static InfluxDatabase influx;
  static Vertx vertx;
  static Path passwords;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    influx = InfluxDatabase.start(dir.resolve("influx"));
    influx.createDatabase("gemba");
    vertx = Vertx.vertx();
    passwords = dir.resolve("passwords");
    PasswordsFile file = new PasswordsFile(passwords);
    file.set("eng-a", ENGINEER_PASSWORD.toCharArray());
    file.set("view-b", "the viewer's password 2".toCharArray());
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    influx.close();
  }

  /** A fresh API with signing in on: each test has its own throttle. */
  private static TestApi api() throws Exception {
    return TestApi.builder(vertx, ApiHardeningIT.PARK)
        .influx(influx.url())
        .users(ApiHardeningIT.USERS)
        .configure(
            (verticle, security) ->
                verticle.signIn(
                    new SignIn(
                        vertx,
                        security,
                        new UsersFile(ApiHardeningIT.USERS),
                        new PasswordsFile(passwords),
                        false)))
        .start();
  }

  private static HttpResponse<String> signIn(TestApi api, String user, String password)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(api.base() + "/api/v1/session"))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    new JsonObject().put("user", user).put("password", password).encode()))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> session(
      TestApi api, String method, String path, String cookie, boolean scriptHeader)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(api.base() + path))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    if (scriptHeader) {
      b.header("X-Requested-With", "gemba-dashboard");
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> me(TestApi api, String token) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(api.base() + "/api/v1/me"))
            .header("Authorization", "Bearer " + token)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject claims(String jwt) {
    return new JsonObject(
        new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
  }

  @Test
  void rightPassword_startsASession_whoseRefreshTokenOnlyTheCookieHolds() throws Exception {
    TestApi api = api();
    HttpResponse<String> r = signIn(api, "eng-a", ENGINEER_PASSWORD);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie)
        .startsWith("gemba_session=")
        .containsIgnoringCase("HttpOnly")
        .contains("SameSite=Strict", "Path=/api/v1/session")
        .doesNotContain("Secure"); // plain HTTP on loopback; over TLS the cookie is Secure
    JsonObject body = new JsonObject(r.body());
    String access = body.getString("accessToken");
    assertThat(body.getJsonObject("user").getString("name")).isEqualTo("eng-a");
    assertThat(r.body())
        .doesNotContain(setCookie.split(";")[0].substring("gemba_session=".length()));
    JsonObject accessClaims = claims(access);
    assertThat(accessClaims.getLong("exp") - accessClaims.getLong("iat"))
        .isEqualTo(SignIn.ACCESS_TOKEN.toSeconds());
    assertThat(new JsonObject(me(api, access).body()).getString("name")).isEqualTo("eng-a");

    // The refresh token opens nothing but the session endpoints.
    String refreshToken = setCookie.split(";")[0].substring("gemba_session=".length());
    HttpResponse<String> asBearer = me(api, refreshToken);
    assertThat(asBearer.statusCode()).isEqualTo(401);
    assertThat(asBearer.body()).contains("not an access token");

    String cookie = setCookie.split(";")[0];
    HttpResponse<String> refreshed = session(api, "POST", "/api/v1/session/refresh", cookie, true);
    assertThat(refreshed.statusCode()).isEqualTo(200);
    String next = new JsonObject(refreshed.body()).getString("accessToken");
    assertThat(next).isNotEqualTo(access);
    assertThat(me(api, next).statusCode()).isEqualTo(200);
    // Without the header a page of another site cannot send with a plain form.
    assertThat(session(api, "POST", "/api/v1/session/refresh", cookie, false).statusCode())
        .isEqualTo(400);
    // Without a session, "not signed in" is no error.
    assertThat(session(api, "POST", "/api/v1/session/refresh", null, true).statusCode())
        .isEqualTo(204);
  }

  @Test
  void signOut_endsTheSession_andEveryTokenOfIt() throws Exception {
    TestApi api = api();
    HttpResponse<String> r = signIn(api, "eng-a", ENGINEER_PASSWORD);
    String cookie = r.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    String access = new JsonObject(r.body()).getString("accessToken");
    assertThat(me(api, access).statusCode()).isEqualTo(200);

    HttpResponse<String> out = session(api, "DELETE", "/api/v1/session", cookie, true);
    assertThat(out.statusCode()).isEqualTo(204);
    assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
    HttpResponse<String> stale = me(api, access);
    assertThat(stale.statusCode()).isEqualTo(401);
    assertThat(stale.body()).contains("signed out");
    assertThat(session(api, "POST", "/api/v1/session/refresh", cookie, true).statusCode())
        .isEqualTo(401);
    // A new sign-in is a new session.
    assertThat(signIn(api, "eng-a", ENGINEER_PASSWORD).statusCode()).isEqualTo(200);
  }

  @Test
  void wrongPasswords_areRefused_slowedDown_andLoggedWithoutThePassword() throws Exception {
    TestApi api = api();
    Logger logger = (Logger) LoggerFactory.getLogger(SignIn.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    logger.addAppender(logged);
    try {
      HttpResponse<String> unknown = signIn(api, "nobody", "whatever-it-is");
      assertThat(unknown.statusCode()).isEqualTo(401);
      assertThat(unknown.headers().firstValue("Set-Cookie")).isEmpty();
      String wrongBody = null;
      for (int i = 1; i < 5; i++) {
        HttpResponse<String> wrong = signIn(api, "view-b", "guess-number-" + i);
        assertThat(wrong.statusCode()).isEqualTo(401);
        wrongBody = new JsonObject(wrong.body()).getString("detail");
      }
      // The same answer for a wrong password and an unknown user.
      assertThat(new JsonObject(unknown.body()).getString("detail")).isEqualTo(wrongBody);

      // Five failures from this address: now even the right password has to wait.
      HttpResponse<String> throttled = signIn(api, "view-b", "the viewer's password 2");
      assertThat(throttled.statusCode()).isEqualTo(429);
      long wait = Long.parseLong(throttled.headers().firstValue("Retry-After").orElseThrow());
      assertThat(wait).isBetween(1L, 2L);
      Thread.sleep(wait * 1000 + 100);
      assertThat(signIn(api, "view-b", "the viewer's password 2").statusCode()).isEqualTo(200);

      List<String> lines = logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
      assertThat(lines)
          .anyMatch(l -> l.startsWith("sign-in refused user=view-b address=127.0.0.1"))
          .anyMatch(l -> l.startsWith("sign-in refused user=nobody"))
          .anyMatch(l -> l.startsWith("signed in user=view-b"))
          .noneMatch(l -> l.contains("guess-number") || l.contains("password 2"));
    } finally {
      logger.detachAppender(logged);
    }
  }

  @Test
  void passwdCommand_readsThePasswordFromStandardInput_notTheCommandLine() throws Exception {
    Path users = dir.resolve("users.yaml");
    Files.writeString(
        users,
        "users:\n  - { name: ops, role: park-operator }\n"
            + "  - { name: eng-a, role: plant-engineer, factory: fa }\n");
    Path park = TestApi.writeParkFile(dir.resolve("park.yaml"));
    Path file = dir.resolve("cli-passwords");
    InputStream stdin = System.in;
    try {
      System.setIn(new ByteArrayInputStream("short\n".getBytes(StandardCharsets.UTF_8)));
      assertThat(passwd(park, users, file)).isEqualTo(2);
      System.setIn(
          new ByteArrayInputStream("a long enough password\n".getBytes(StandardCharsets.UTF_8)));
      assertThat(passwd(park, users, file)).isZero();
    } finally {
      System.setIn(stdin);
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(file)).contains("ops:$argon2id$").doesNotContain("long enough");
    assertThat(
            PasswordHash.matches(
                "a long enough password".toCharArray(),
                new PasswordsFile(file).hashOf("ops").orElseThrow()))
        .isTrue();
  }

  private static int passwd(Path park, Path users, Path file) {
    return new CommandLine(new ApiCommand())
        .execute(
            "passwd",
            "--park",
            park.toString(),
            "--users",
            users.toString(),
            "--passwords",
            file.toString(),
            "--user",
            "ops");
  }

  @Test
  void usersOfTheUsersFile_withoutAPassword_cannotSignIn() throws Exception {
    // ops is in the users file but has no password in the passwords file.
    assertThat(ApiHardeningIT.USERS.stream().map(ApiUser::name)).contains("ops");
    assertThat(signIn(api(), "ops", "").statusCode()).isEqualTo(400);
    assertThat(signIn(api(), "ops", "any password at all").statusCode()).isEqualTo(401);
  }
}
