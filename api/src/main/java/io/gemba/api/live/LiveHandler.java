package io.gemba.api.live;

import io.gemba.api.http.Problem;
import io.gemba.api.security.ApiSecurity;
import io.gemba.api.security.ApiUser;
import io.gemba.api.security.AssetAccess;
import io.gemba.model.asset.Park;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code GET /api/v1/live?scope=park|factory|line|machine&factory=&id=}: Server-Sent Events of a
 * scope's live KPIs and anomalies ({@link LiveFeed}). A client first gets the current figures, or
 * with {@code Last-Event-ID} what it missed, then every event as it comes. Each client writes on
 * its own: one whose connection does not keep up has events dropped (counted, and the connection
 * closed after {@link #MAX_DROPPED}, so that its browser reconnects and catches up), and never
 * holds back the others.
 */
public final class LiveHandler {

  /** Events a slow client may miss before it is disconnected. */
  static final int MAX_DROPPED = 100;

  /** Live streams one user may hold open at once (a dashboard needs one per open view). */
  public static final int MAX_STREAMS_PER_USER = 8;

  static final long HEARTBEAT_MS = 15_000;

  private final Vertx vertx;
  private final Park park;
  private final LiveFeed feed;
  private final AtomicLong dropped = new AtomicLong();
  private final ConcurrentHashMap<String, AtomicInteger> streams = new ConcurrentHashMap<>();

  /**
   * @param feed null when the API runs without a broker: the endpoint then answers 503
   */
  public LiveHandler(Vertx vertx, Park park, LiveFeed feed) {
    this.vertx = vertx;
    this.park = park;
    this.feed = feed;
  }

  /** Events dropped for slow clients since start. */
  public long dropped() {
    return dropped.get();
  }

  public void handle(RoutingContext ctx) {
    String stream = stream(ctx);
    Long lastEventId = lastEventId(ctx);
    if (feed == null) {
      throw new Problem(
          503, "Live feed unavailable", "the API was started without --mqtt: no live KPIs", null);
    }
    ApiUser user = ApiSecurity.user(ctx);
    String who = user == null ? "" : user.name();
    AtomicInteger open = streams.computeIfAbsent(who, w -> new AtomicInteger());
    if (open.incrementAndGet() > MAX_STREAMS_PER_USER) {
      open.decrementAndGet();
      throw new Problem(
          429,
          "Too many live streams",
          "user '" + who + "' has " + MAX_STREAMS_PER_USER + " live streams open already",
          null);
    }
    HttpServerResponse response = ctx.response();
    response
        .setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no");
    response.write("retry: 3000\n\n");
    long[] lastSent = {0};
    AtomicLong missed = new AtomicLong();
    MessageConsumer<JsonObject> consumer =
        vertx
            .eventBus()
            .consumer(
                LiveFeed.address(stream),
                message -> {
                  JsonObject e = message.body();
                  if (e.getLong("id") <= lastSent[0] || response.closed()) {
                    return;
                  }
                  if (response.writeQueueFull()) {
                    dropped.incrementAndGet();
                    if (missed.incrementAndGet() > MAX_DROPPED) {
                      response.reset();
                    }
                    return;
                  }
                  lastSent[0] = e.getLong("id");
                  response.write(frame(e.getLong("id"), e.getString("kind"), e.getString("json")));
                });
    // The consumer runs on this context too, so nothing arrives while the catch-up is written.
    for (LiveFeed.Event e : feed.catchUp(stream, lastEventId)) {
      lastSent[0] = e.id();
      response.write(frame(e.id(), e.kind(), e.json()));
    }
    long heartbeat =
        vertx.setPeriodic(
            HEARTBEAT_MS,
            t -> {
              if (!response.closed() && !response.writeQueueFull()) {
                response.write(": keep-alive\n\n");
              }
            });
    // A stream ends with its token: the client gets an "expired" event, signs in or refreshes,
    // and opens a new stream with a valid token.
    Long expiresAt = ctx.get(ApiSecurity.EXPIRES_AT);
    long untilExpiry = expiresAt == null ? -1 : expiresAt - System.currentTimeMillis();
    long expiry =
        untilExpiry < 0
            ? -1
            : vertx.setTimer(
                Math.max(1, untilExpiry),
                t -> {
                  if (!response.closed()) {
                    response.end("event: expired\ndata: {}\n\n");
                  }
                });
    AtomicBoolean ended = new AtomicBoolean();
    Handler<Void> cleanUp =
        v -> {
          if (ended.compareAndSet(false, true)) {
            open.decrementAndGet();
            consumer.unregister();
            vertx.cancelTimer(heartbeat);
            if (expiry >= 0) {
              vertx.cancelTimer(expiry);
            }
          }
        };
    // Closed by the client, or ended here when the token expired.
    response.closeHandler(cleanUp);
    response.endHandler(cleanUp);
  }

  /**
   * {@code GET /api/v1/live/latest?scope=&factory=&id=}: the latest figure of every live topic of
   * the scope, from memory (no database query): what a dashboard tile needs at once.
   */
  public void latest(RoutingContext ctx) {
    String stream = stream(ctx);
    if (feed == null) {
      throw new Problem(
          503, "Live feed unavailable", "the API was started without --mqtt: no live KPIs", null);
    }
    JsonArray out = new JsonArray();
    for (LiveFeed.Event e : feed.catchUp(stream, null)) {
      out.add(
          new JsonObject()
              .put("id", e.id())
              .put("topic", e.topic())
              .put("kind", e.kind())
              .put("data", new JsonObject(e.json())));
    }
    ctx.json(new JsonObject().put("stream", stream).put("latest", out));
  }

  private static String frame(long id, String kind, String json) {
    return "id: " + id + "\nevent: " + kind + "\ndata: " + json + "\n\n";
  }

  /** The stream the query names, after the caller's access to it is checked. */
  private String stream(RoutingContext ctx) {
    String scope = ctx.request().getParam("scope", "park");
    String id = ctx.request().getParam("id");
    String factory = ctx.request().getParam("factory");
    switch (scope) {
      case "park" -> {
        ApiSecurity.requirePark(ctx);
        return "park";
      }
      case "factory" -> {
        AssetAccess.factory(ctx, park, id, f -> noFactory("id", f));
        return "factory/" + id;
      }
      case "line" -> {
        AssetAccess.factory(ctx, park, factory, f -> noFactory("factory", f));
        boolean known =
            park.factories().stream()
                .filter(f -> f.id().equals(factory))
                .flatMap(f -> f.lines().stream())
                .anyMatch(l -> l.id().equals(id));
        if (!known) {
          throw Problem.badParameter("id", "no line '" + id + "' in factory '" + factory + "'");
        }
        return "line/" + factory + "/" + id;
      }
      case "machine" -> {
        AssetAccess.machine(
            ctx, park, id, m -> Problem.badParameter("id", "no machine '" + m + "' in the park"));
        return "machine/" + id;
      }
      default ->
          throw Problem.badParameter(
              "scope", "expected park, factory, line or machine, got '" + scope + "'");
    }
  }

  private static Problem noFactory(String parameter, String factory) {
    return Problem.badParameter(parameter, "no factory '" + factory + "' in the park");
  }

  private static Long lastEventId(RoutingContext ctx) {
    String text = ctx.request().getHeader("Last-Event-ID");
    if (text == null) {
      text = ctx.request().getParam("lastEventId");
    }
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Long.parseLong(text.strip());
    } catch (NumberFormatException e) {
      throw Problem.badParameter(
          "Last-Event-ID", "expected the id of an event this API sent, got '" + text + "'");
    }
  }
}
