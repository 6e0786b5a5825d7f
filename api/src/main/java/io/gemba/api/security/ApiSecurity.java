package io.gemba.api.security;

import io.gemba.api.http.Problem;
import io.gemba.connect.SecretFile;
import io.gemba.model.config.InvalidFieldException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is calling, and how often: bearer tokens are JWTs (HS256) signed with the API's key, naming a
 * user of the users file; a token whose user left the file, whose role's longest lifetime it
 * exceeds, or whose sign-in session ended is refused. Each user may make {@code ratePerSecond}
 * requests per second on average, with bursts of twice that; beyond, 429.
 *
 * <p>Two kinds of token share the key and differ in their {@code typ} claim: access tokens, sent as
 * {@code Authorization: Bearer}, and the refresh tokens of sign-in sessions, which only the session
 * endpoints accept ({@link SignIn}).
 */
public final class ApiSecurity {

  /** The Server-Sent Events stream, which also takes the token as {@code access_token}. */
  public static final String LIVE_PATH = "/api/v1/live";

  /** Where the authenticated user is kept in the routing context. */
  public static final String USER = "gemba.user";

  /** Where the access token's expiry (epoch milliseconds) is kept in the routing context. */
  public static final String EXPIRES_AT = "gemba.token.expiresAt";

  /** The shortest signing key accepted, in characters: 256 bits of base64. */
  static final int MIN_KEY_LENGTH = 32;

  static final String ACCESS = "access";
  static final String REFRESH = "refresh";

  /** Slack for clocks: a token may claim this much more than its role's longest lifetime. */
  private static final long LIFETIME_SLACK_SECONDS = 60;

  private final JWTAuth jwt;
  private final UsersFile users;
  private final double ratePerSecond;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  /** Sessions signed out before their refresh token expired: session id to that expiry (ms). */
  private final Map<String, Long> endedSessions = new ConcurrentHashMap<>();

  public ApiSecurity(Vertx vertx, String key, UsersFile users, double ratePerSecond) {
    if (key.length() < MIN_KEY_LENGTH) {
      throw new IllegalArgumentException(
          "signing key too short: expected at least " + MIN_KEY_LENGTH + " characters");
    }
    this.jwt =
        JWTAuth.create(
            vertx,
            new JWTAuthOptions()
                .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(key)));
    this.users = users;
    this.ratePerSecond = ratePerSecond;
  }

  /**
   * The signing key in {@code file}. A missing file is created with 256 random bits, readable by
   * its owner only from the moment it exists; an existing one must not be readable by every user
   * and must hold at least {@value #MIN_KEY_LENGTH} characters.
   *
   * @throws InvalidFieldException naming {@code --key-file} when the file cannot be used
   */
  public static String loadOrCreateKey(Path file) throws IOException {
    SecretFile.writeRandomIfAbsent(file, 32);
    String key = SecretFile.readString("--key-file", file).strip();
    if (key.length() < MIN_KEY_LENGTH) {
      throw new InvalidFieldException(
          "--key-file",
          file
              + " holds "
              + key.length()
              + " characters: expected at least "
              + MIN_KEY_LENGTH
              + " (256 bits; openssl rand -base64 32 makes one)");
    }
    return key;
  }

  /**
   * An access token for {@code user}, valid for {@code validFor}.
   *
   * @throws IllegalArgumentException when {@code validFor} exceeds the role's longest lifetime
   */
  public String issue(ApiUser user, Duration validFor) {
    return token(user, validFor, ACCESS, null);
  }

  /** A token of kind {@code typ}; {@code session} ties it to a sign-in session (or null). */
  String token(ApiUser user, Duration validFor, String typ, String session) {
    Duration max = user.role().maxTokenLifetime();
    if (validFor.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          "a "
              + user.role().wireName()
              + "'s token may be valid for "
              + max.toHours()
              + " hours at most, not "
              + validFor.toHours());
    }
    JsonObject claims =
        new JsonObject()
            .put("sub", user.name())
            .put("role", user.role().wireName())
            .put("typ", typ)
            .put("jti", UUID.randomUUID().toString());
    if (session != null) {
      claims.put("sid", session);
    }
    return jwt.generateToken(
        claims,
        new JWTOptions()
            .setAlgorithm("HS256")
            .setExpiresInSeconds((int) Math.min(Integer.MAX_VALUE, validFor.toSeconds())));
  }

  /** A verified token of kind {@code typ}, with the user it names, still in the users file. */
  record Verified(ApiUser user, JsonObject claims) {
    long expiresAtMs() {
      return claims.getLong("exp") * 1000;
    }

    String session() {
      return claims.getString("sid");
    }
  }

  /** Verifies {@code token} as a token of kind {@code typ}; fails with a 401 problem. */
  Future<Verified> verify(String token, String typ) {
    return jwt.authenticate(new TokenCredentials(token))
        .recover(
            e -> Future.failedFuture(unauthorized("the token is not valid: " + e.getMessage())))
        .compose(
            user -> {
              JsonObject claims = claims(user);
              Optional<ApiUser> known = users.find(claims.getString("sub"));
              if (known.isEmpty()) {
                return Future.failedFuture(
                    unauthorized("the token's user is not in the users file"));
              }
              if (!typ.equals(claims.getString("typ"))) {
                return Future.failedFuture(unauthorized("not an " + typ + " token"));
              }
              Long exp = claims.getLong("exp");
              Long iat = claims.getLong("iat");
              if (exp == null || iat == null) {
                return Future.failedFuture(unauthorized("the token has no expiry"));
              }
              long max = known.get().role().maxTokenLifetime().toSeconds();
              if (exp - iat > max + LIFETIME_SLACK_SECONDS) {
                return Future.failedFuture(
                    unauthorized(
                        "the token is valid longer than a "
                            + known.get().role().wireName()
                            + "'s token may be; sign in again"));
              }
              String session = claims.getString("sid");
              if (session != null && endedSessions.containsKey(session)) {
                return Future.failedFuture(unauthorized("signed out"));
              }
              return Future.succeededFuture(new Verified(known.get(), claims));
            });
  }

  /** Ends sign-in session {@code session}: its tokens are refused from now on. */
  void endSession(String session, long refreshExpiresAtMs) {
    long now = System.currentTimeMillis();
    endedSessions.values().removeIf(expiry -> expiry < now);
    endedSessions.put(session, refreshExpiresAtMs);
  }

  /**
   * Route handler: authenticates the bearer token (401 without a valid one), then applies the
   * user's rate limit (429), and passes on with the {@link ApiUser} in the context.
   */
  public void authenticate(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    String token;
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      token = header.substring(7).strip();
    } else if (ctx.request().path().equals(LIVE_PATH)
        && ctx.request().getParam("access_token") != null) {
      // A browser's EventSource cannot send headers: the live stream takes the token as a
      // parameter.
      token = ctx.request().getParam("access_token");
    } else {
      sendUnauthorized(
          ctx, unauthorized("a bearer token is required: Authorization: Bearer <token>"));
      return;
    }
    verify(token, ACCESS)
        .onFailure(
            e ->
                sendUnauthorized(
                    ctx, e instanceof Problem p ? p : unauthorized("the token is not valid")))
        .onSuccess(
            verified -> {
              ApiUser user = verified.user();
              Bucket bucket = buckets.computeIfAbsent(user.name(), n -> new Bucket(ratePerSecond));
              long waitMs = bucket.take();
              if (waitMs > 0) {
                ctx.response().putHeader("Retry-After", String.valueOf((waitMs + 999) / 1000));
                Problem.send(
                    ctx,
                    new Problem(
                        429,
                        "Too many requests",
                        "more than "
                            + ratePerSecond
                            + " requests per second for user '"
                            + user.name()
                            + "'",
                        null));
                return;
              }
              ctx.put(USER, user);
              ctx.put(EXPIRES_AT, verified.expiresAtMs());
              ctx.next();
            });
  }

  private static JsonObject claims(User user) {
    JsonObject claims = user.attributes().getJsonObject("accessToken");
    return claims != null ? claims : user.principal();
  }

  static Problem unauthorized(String detail) {
    return new Problem(401, "Unauthorized", detail, null);
  }

  static void sendUnauthorized(RoutingContext ctx, Problem problem) {
    ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"gemba\"");
    Problem.send(ctx, problem);
  }

  /** The authenticated user of a request that passed {@link #authenticate}. */
  public static ApiUser user(RoutingContext ctx) {
    return ctx.get(USER);
  }

  /** 403 unless the request's user may read {@code factoryId}. */
  public static void requireFactory(RoutingContext ctx, String factoryId) {
    ApiUser user = user(ctx);
    if (user != null && !user.mayRead(factoryId)) {
      throw AssetAccess.forbidden(user);
    }
  }

  /** 403 unless the request's user may read what concerns the whole park. */
  public static void requirePark(RoutingContext ctx) {
    ApiUser user = user(ctx);
    if (user != null && !user.mayReadPark()) {
      throw new Problem(
          403,
          "Forbidden",
          "user '" + user.name() + "' reads factory '" + user.factory() + "' only, not the park",
          null);
    }
  }

  /** A token bucket: {@code rate} tokens per second, holding at most twice that. */
  private static final class Bucket {
    private final double rate;
    private final double capacity;
    private double tokens;
    private long last = System.nanoTime();

    Bucket(double rate) {
      this.rate = rate;
      this.capacity = Math.max(1, 2 * rate);
      this.tokens = capacity;
    }

    /** Takes a token; returns 0, or how many ms until one is free. */
    synchronized long take() {
      long now = System.nanoTime();
      tokens = Math.min(capacity, tokens + (now - last) / 1e9 * rate);
      last = now;
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return (long) Math.ceil((1 - tokens) / rate * 1000);
    }
  }
}
