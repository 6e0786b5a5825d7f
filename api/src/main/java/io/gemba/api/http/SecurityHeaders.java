package io.gemba.api.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The first handler of every request: gives it an id (the {@code X-Request-Id} response header, and
 * {@code requestId} in problem bodies, so a user can quote it and the log be searched for it), and
 * sets the headers that make a browser refuse what the dashboard never does: scripts, styles,
 * frames and connections from anywhere but this API ({@code Content-Security-Policy}), guessing
 * content types ({@code nosniff}), being framed by another site, and sending addresses to others
 * ({@code Referrer-Policy}). Over TLS, browsers are told to use it only ({@code
 * Strict-Transport-Security}).
 */
public final class SecurityHeaders implements Handler<RoutingContext> {

  /** Where the request id is kept in the routing context. */
  public static final String REQUEST_ID = "gemba.requestId";

  /** The dashboard loads its own scripts, styles, images and data, and nothing else. */
  public static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self';"
          + " frame-ancestors 'none'";

  private final boolean tls;

  /** Request ids: this process's random prefix and a counter (unique, cheap, not secret). */
  private final String prefix =
      Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffL) + "-";

  private final AtomicLong counter = new AtomicLong();

  /**
   * @param tls whether the API is served over TLS
   */
  public SecurityHeaders(boolean tls) {
    this.tls = tls;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String id = prefix + counter.incrementAndGet();
    ctx.put(REQUEST_ID, id);
    HttpServerResponse response = ctx.response();
    response
        .putHeader("X-Request-Id", id)
        .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("Cross-Origin-Opener-Policy", "same-origin");
    if (tls) {
      response.putHeader("Strict-Transport-Security", "max-age=31536000");
    }
    if (ctx.request().path().startsWith("/api/")) {
      response.putHeader("Cache-Control", "no-store");
    }
    ctx.next();
  }
}
