package io.gemba.api.http;

import io.gemba.api.security.ApiSecurity;
import io.gemba.model.asset.Factory;
import io.gemba.model.asset.Park;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the API's handlers share: the time range and number parameters, checked, and store queries
 * run on worker threads (they block), with a 503 problem when the store does not answer.
 */
final class Requests {

  private static final Logger log = LoggerFactory.getLogger(Requests.class);

  private final Vertx vertx;
  private final LongSupplier clock;

  Requests(Vertx vertx, LongSupplier clock) {
    this.vertx = vertx;
    this.clock = clock;
  }

  long now() {
    return clock.getAsLong();
  }

  TimeRange range(RoutingContext ctx, Duration max) {
    return TimeRange.parse(
        ctx.request().getParam("from"), ctx.request().getParam("to"), clock.getAsLong(), max);
  }

  static int intParam(RoutingContext ctx, String name, int fallback, int min, int max) {
    String text = ctx.request().getParam(name);
    if (text == null) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(text);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw Problem.badParameter(
        name, "expected a whole number from " + min + " to " + max + ", got '" + text + "'");
  }

  /** Runs {@code query} off the event loop and hands its result to {@code out}. */
  <T> void query(RoutingContext ctx, Callable<T> query, Consumer<T> out) {
    vertx
        .executeBlocking(query)
        .onSuccess(
            result -> {
              try {
                out.accept(result);
              } catch (Problem p) {
                Problem.send(ctx, p);
              }
            })
        .onFailure(
            e -> {
              log.warn(
                  "store query failed path={} reason={}", ctx.request().path(), e.getMessage());
              Problem.send(
                  ctx,
                  new Problem(
                      503,
                      "Storage unavailable",
                      "InfluxDB did not answer: " + e.getMessage(),
                      null));
            });
  }

  /** The park's factory {@code id} (404 if none) once the request's user may read it (403). */
  static Factory factory(RoutingContext ctx, Park park, String id) {
    Factory factory =
        park.findFactory(id)
            .orElseThrow(
                () -> Problem.notFound("no factory '" + id + "' in park '" + park.id() + "'"));
    ApiSecurity.requireFactory(ctx, id);
    return factory;
  }

  static String iso(long ms) {
    return Instant.ofEpochMilli(ms).toString();
  }
}
