package io.gemba.api.security;

import io.gemba.api.http.Problem;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is calling, and how often: bearer tokens are JWTs (HS256) signed with the API's key, naming a
 * user of the users file; a token whose user left the file is refused. Each user may make {@code
 * ratePerSecond} requests per second on average, with bursts of twice that; beyond, 429.
 */
public final class ApiSecurity {

  /** The Server-Sent Events stream, which also takes the token as {@code access_token}. */
  public static final String LIVE_PATH = "/api/v1/live";

  /** Where the authenticated user is kept in the routing context. */
  public static final String USER = "gemba.user";

  private final JWTAuth jwt;
  private final UsersFile users;
  private final double ratePerSecond;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  public ApiSecurity(Vertx vertx, String key, UsersFile users, double ratePerSecond) {
    this.jwt =
        JWTAuth.create(
            vertx,
            new JWTAuthOptions()
                .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(key)));
    this.users = users;
    this.ratePerSecond = ratePerSecond;
  }

  /**
   * The signing key in {@code file}, created (256 random bits, readable by the owner only) if the
   * file does not exist.
   */
  public static String loadOrCreateKey(Path file) throws IOException {
    if (Files.exists(file)) {
      return Files.readString(file).strip();
    }
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    String key = Base64.getEncoder().encodeToString(bytes);
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    Files.writeString(file, key);
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the directory's permissions protect it
    }
    return key;
  }

  /** A token for {@code user}, valid for {@code validFor}. */
  public String issue(ApiUser user, Duration validFor) {
    return jwt.generateToken(
        new JsonObject().put("sub", user.name()).put("role", user.role().wireName()),
        new JWTOptions()
            .setAlgorithm("HS256")
            .setExpiresInSeconds((int) Math.min(Integer.MAX_VALUE, validFor.toSeconds())));
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
      unauthorized(ctx, "a bearer token is required: Authorization: Bearer <token>");
      return;
    }
    jwt.authenticate(new TokenCredentials(token))
        .onFailure(e -> unauthorized(ctx, "the token is not valid: " + e.getMessage()))
        .onSuccess(
            user -> {
              Optional<ApiUser> known = users.find(subject(user));
              if (known.isEmpty()) {
                unauthorized(ctx, "the token's user is not in the users file");
                return;
              }
              Bucket bucket =
                  buckets.computeIfAbsent(known.get().name(), n -> new Bucket(ratePerSecond));
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
                            + known.get().name()
                            + "'",
                        null));
                return;
              }
              ctx.put(USER, known.get());
              ctx.next();
            });
  }

  private static String subject(User user) {
    JsonObject claims = user.attributes().getJsonObject("accessToken");
    if (claims == null) {
      claims = user.principal();
    }
    return claims.getString("sub");
  }

  private static void unauthorized(RoutingContext ctx, String detail) {
    ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"gemba\"");
    Problem.send(ctx, new Problem(401, "Unauthorized", detail, null));
  }

  /** The authenticated user of a request that passed {@link #authenticate}. */
  public static ApiUser user(RoutingContext ctx) {
    return ctx.get(USER);
  }

  /** 403 unless the request's user may read {@code factoryId}. */
  public static void requireFactory(RoutingContext ctx, String factoryId) {
    ApiUser user = user(ctx);
    if (user != null && !user.mayRead(factoryId)) {
      throw new Problem(
          403,
          "Forbidden",
          "user '" + user.name() + "' reads factory '" + user.factory() + "' only",
          null);
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
