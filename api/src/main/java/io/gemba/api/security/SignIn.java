package io.gemba.api.security;

import io.gemba.api.http.Problem;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signing in as a person does: {@code POST /api/v1/session} with a user name and password checked
 * against the passwords file starts a session of {@link #SESSION} (a shift); the browser keeps its
 * refresh token in an HttpOnly, SameSite=Strict cookie that scripts cannot read, and gets
 * short-lived access tokens ({@link #ACCESS_TOKEN}) from {@code POST /api/v1/session/refresh};
 * {@code DELETE /api/v1/session} signs out, and every token of the session is refused from then on.
 *
 * <p>Failed sign-ins are slowed down per user name and per address ({@link SignInThrottle}) and
 * logged with both, never with the password. Password hashes are checked on a small worker pool of
 * their own: guessing cannot take the threads that serve queries.
 */
public final class SignIn {

  /** How long a sign-in lasts before the person must sign in again. */
  public static final Duration SESSION = Duration.ofHours(12);

  /** How long one access token is valid. */
  public static final Duration ACCESS_TOKEN = Duration.ofMinutes(15);

  /** The cookie that holds the refresh token. */
  static final String COOKIE = "gemba_session";

  /** The header the session's refresh and sign-out must carry (no plain cross-site form can). */
  static final String REQUEST_HEADER = "X-Requested-With";

  /** The session endpoint. */
  public static final String PATH = "/api/v1/session";

  private static final Logger log = LoggerFactory.getLogger(SignIn.class);
  private static final int MAX_HASH_CHECKS_WAITING = 32;

  /** A hash of a random password, checked for unknown users so that they take as long. */
  private static final String DUMMY = PasswordHash.hash(UUID.randomUUID().toString().toCharArray());

  private final ApiSecurity security;
  private final UsersFile users;
  private final PasswordsFile passwords;
  private final boolean secureCookie;
  private final WorkerExecutor hashing;
  private final SignInThrottle throttle = new SignInThrottle();
  private int waiting;

  /**
   * @param passwords the passwords file; null turns signing in off (404)
   * @param secureCookie whether the API is served over TLS (the cookie then goes over TLS only)
   */
  public SignIn(
      Vertx vertx,
      ApiSecurity security,
      UsersFile users,
      PasswordsFile passwords,
      boolean secureCookie) {
    this.security = security;
    this.users = users;
    this.passwords = passwords;
    this.secureCookie = secureCookie;
    this.hashing = vertx.createSharedWorkerExecutor("gemba-sign-in", 2, 30, TimeUnit.SECONDS);
  }

  /** {@code POST /api/v1/session} with {@code {"user", "password"}}. */
  public void signIn(RoutingContext ctx) {
    if (passwords == null) {
      throw new Problem(
          404, "Not found", "signing in is off: the API was started without --passwords", null);
    }
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      body = null;
    }
    String name = body == null ? null : text(body.getValue("user"));
    String password = body == null ? null : text(body.getValue("password"));
    if (name == null || password == null) {
      throw Problem.badParameter("body", "expected {\"user\": \"...\", \"password\": \"...\"}");
    }
    String address = ctx.request().remoteAddress().hostAddress();
    String userKey = "user:" + name.toLowerCase();
    String addressKey = "address:" + address;
    long now = System.currentTimeMillis();
    long wait = throttle.waitMs(now, userKey, addressKey);
    if (wait > 0) {
      tooMany(ctx, wait, "too many failed sign-ins: wait before trying again");
      return;
    }
    synchronized (this) {
      if (waiting >= MAX_HASH_CHECKS_WAITING) {
        ctx.response().putHeader("Retry-After", "1");
        Problem.send(ctx, new Problem(503, "Busy", "too many sign-ins at once", null));
        return;
      }
      waiting++;
    }
    Optional<ApiUser> user = users.find(name);
    char[] typed = password.toCharArray();
    hashing
        .executeBlocking(
            () -> {
              try {
                String hash = user.flatMap(u -> passwords.hashOf(u.name())).orElse(null);
                boolean match = PasswordHash.matches(typed, hash != null ? hash : DUMMY);
                return match && hash != null;
              } finally {
                Arrays.fill(typed, '\0');
              }
            },
            false)
        .onComplete(
            result -> {
              synchronized (this) {
                waiting--;
              }
              if (result.failed()) {
                log.error("sign-in check failed user={}", printable(name), result.cause());
                Problem.send(
                    ctx, new Problem(503, "Sign-in unavailable", "the check failed", null));
                return;
              }
              if (!result.result()) {
                int failures = throttle.failed(System.currentTimeMillis(), userKey, addressKey);
                log.warn(
                    "sign-in refused user={} address={} failures={}",
                    printable(name),
                    address,
                    failures);
                ApiSecurity.sendUnauthorized(
                    ctx, ApiSecurity.unauthorized("wrong user name or password"));
                return;
              }
              throttle.succeeded(userKey);
              log.info("signed in user={} address={}", user.get().name(), address);
              startSession(ctx, user.get());
            });
  }

  private void startSession(RoutingContext ctx, ApiUser user) {
    String session = UUID.randomUUID().toString();
    String refresh = security.token(user, SESSION, ApiSecurity.REFRESH, session);
    ctx.response()
        .addCookie(
            Cookie.cookie(COOKIE, refresh)
                .setPath(PATH)
                .setHttpOnly(true)
                .setSecure(secureCookie)
                .setSameSite(CookieSameSite.STRICT)
                .setMaxAge(SESSION.toSeconds()));
    sendAccessToken(ctx, user, session);
  }

  private void sendAccessToken(RoutingContext ctx, ApiUser user, String session) {
    Duration validFor = ACCESS_TOKEN;
    String token = security.token(user, validFor, ApiSecurity.ACCESS, session);
    ctx.response().putHeader("Cache-Control", "no-store");
    ctx.json(
        new JsonObject()
            .put("accessToken", token)
            .put("expiresAt", Instant.now().plus(validFor).toString())
            .put(
                "user",
                new JsonObject()
                    .put("name", user.name())
                    .put("role", user.role().wireName())
                    .put("factory", user.factory())
                    .put("readsPark", user.mayReadPark())));
  }

  /**
   * {@code POST /api/v1/session/refresh}: a new access token for the cookie's session; 204 without
   * a session cookie (not signed in), 401 for a session that ended or expired.
   */
  public void refresh(RoutingContext ctx) {
    requireScriptHeader(ctx);
    Cookie cookie = ctx.request().getCookie(COOKIE);
    if (cookie == null) {
      // Not signed in, which is no error: the dashboard asks on every start.
      ctx.response().setStatusCode(204).end();
      return;
    }
    security
        .verify(cookie.getValue(), ApiSecurity.REFRESH)
        .onFailure(
            e ->
                ApiSecurity.sendUnauthorized(
                    ctx, e instanceof Problem p ? p : ApiSecurity.unauthorized("not signed in")))
        .onSuccess(verified -> sendAccessToken(ctx, verified.user(), verified.session()));
  }

  /** {@code DELETE /api/v1/session}: signs out; the session's tokens are refused from now on. */
  public void signOut(RoutingContext ctx) {
    requireScriptHeader(ctx);
    Cookie cookie = ctx.request().getCookie(COOKIE);
    ctx.response()
        .addCookie(
            Cookie.cookie(COOKIE, "")
                .setPath(PATH)
                .setHttpOnly(true)
                .setSecure(secureCookie)
                .setSameSite(CookieSameSite.STRICT)
                .setMaxAge(0));
    if (cookie == null) {
      ctx.response().setStatusCode(204).end();
      return;
    }
    security
        .verify(cookie.getValue(), ApiSecurity.REFRESH)
        .onComplete(
            verified -> {
              if (verified.succeeded() && verified.result().session() != null) {
                security.endSession(verified.result().session(), verified.result().expiresAtMs());
                log.info("signed out user={}", verified.result().user().name());
              }
              ctx.response().setStatusCode(204).end();
            });
  }

  private static void requireScriptHeader(RoutingContext ctx) {
    if (ctx.request().getHeader(REQUEST_HEADER) == null) {
      throw Problem.badParameter(
          REQUEST_HEADER, "expected the header " + REQUEST_HEADER + " (sent by the dashboard)");
    }
  }

  private static void tooMany(RoutingContext ctx, long waitMs, String detail) {
    ctx.response().putHeader("Retry-After", String.valueOf((waitMs + 999) / 1000));
    Problem.send(ctx, new Problem(429, "Too many requests", detail, null));
  }

  private static String text(Object value) {
    return value instanceof String s && !s.isEmpty() && s.length() <= 256 ? s : null;
  }

  /** A user name as it may go into a log line: no line breaks or control characters. */
  private static String printable(String name) {
    String shown = name.length() > 64 ? name.substring(0, 64) + "..." : name;
    return shown.replaceAll("\\p{Cntrl}", "?");
  }
}
