package io.gemba.api.http;

import io.gemba.api.security.AssetAccess;
import io.gemba.model.asset.Factory;
import io.gemba.model.asset.MachinePlacement;
import io.gemba.model.asset.Park;
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

  private final StoreQueries queries;
  private final LongSupplier clock;

  Requests(StoreQueries queries, LongSupplier clock) {
    this.queries = queries;
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
    queries.run(ctx, query, out);
  }

  /** The park's factory {@code id} named in a path: 403 for another factory's user, else 404. */
  static Factory factory(RoutingContext ctx, Park park, String id) {
    return AssetAccess.factory(
        ctx, park, id, f -> Problem.notFound("no factory '" + f + "' in park '" + park.id() + "'"));
  }

  /** The park's machine {@code id} named in a path: 403 for another factory's user, else 404. */
  static MachinePlacement machine(RoutingContext ctx, Park park, String id) {
    return AssetAccess.machine(
        ctx, park, id, m -> Problem.notFound("no machine '" + m + "' in park '" + park.id() + "'"));
  }

  static String iso(long ms) {
    return Instant.ofEpochMilli(ms).toString();
  }
}
