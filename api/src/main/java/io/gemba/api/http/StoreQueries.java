package io.gemba.api.http;

import io.gemba.api.security.ApiSecurity;
import io.gemba.api.security.ApiUser;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.influxdb.InfluxDBIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Store queries, which block, on a worker pool of their own where they run side by side, with the
 * building of their answers: a slow query (a week of raw states) holds one of its {@value #THREADS}
 * threads and delays no one else's request. Each user runs at most {@value #RUNNING_PER_USER}
 * queries at once, the rest of theirs wait in a queue of their own (up to {@value
 * #WAITING_PER_USER}, beyond that 429): a dashboard that asks for ten things at once is served in
 * turn, and no one user can take the whole pool. How long one query may take is the store's query
 * timeout; past it the request gets 503.
 */
public final class StoreQueries {

  /** Threads that run store queries. */
  public static final int THREADS = 16;

  /** Queries of one user that run at once. */
  public static final int RUNNING_PER_USER = 4;

  /** Queries of one user that may wait for a turn. */
  public static final int WAITING_PER_USER = 64;

  private static final Logger log = LoggerFactory.getLogger(StoreQueries.class);

  private final WorkerExecutor pool;
  private final ConcurrentHashMap<String, Turns> turns = new ConcurrentHashMap<>();

  /** One user's running count and waiting queries. */
  private static final class Turns {
    int running;
    final Deque<Runnable> waiting = new ArrayDeque<>();
  }

  public StoreQueries(Vertx vertx) {
    // The store's own timeout ends a query; a thread busy for longer than this is reported.
    this.pool = vertx.createSharedWorkerExecutor("gemba-store", THREADS, 2, TimeUnit.MINUTES);
  }

  /** Runs {@code query} on the pool in the user's turn, then hands its result to {@code out}. */
  <T> void run(RoutingContext ctx, Callable<T> query, Consumer<T> out) {
    ApiUser user = ApiSecurity.user(ctx);
    Turns mine = turns.computeIfAbsent(user == null ? "" : user.name(), w -> new Turns());
    Runnable start = () -> execute(ctx, query, out, mine);
    synchronized (mine) {
      if (mine.running < RUNNING_PER_USER) {
        mine.running++;
      } else if (mine.waiting.size() < WAITING_PER_USER) {
        mine.waiting.addLast(start);
        return;
      } else {
        ctx.response().putHeader("Retry-After", "1");
        throw new Problem(
            429,
            "Too many requests",
            "more than " + (RUNNING_PER_USER + WAITING_PER_USER) + " queries at once",
            null);
      }
    }
    start.run();
  }

  private <T> void execute(RoutingContext ctx, Callable<T> query, Consumer<T> out, Turns mine) {
    pool.executeBlocking(
            () -> {
              T result;
              try {
                result = query.call();
              } catch (Exception e) {
                throw unavailable(e) ? new Unavailable(e) : e;
              }
              // The answer is built here too: a week of raw states is hundreds of thousands of
              // rows, and encoding them on the event loop would hold every other request.
              out.accept(result);
              return null;
            },
            false)
        .onComplete(
            result -> {
              Runnable next;
              synchronized (mine) {
                next = mine.waiting.pollFirst();
                if (next == null) {
                  mine.running--;
                }
              }
              if (next != null) {
                next.run();
              }
              if (result.succeeded() || ctx.response().ended() || ctx.response().closed()) {
                return;
              }
              Throwable cause = result.cause();
              String id = ctx.get(SecurityHeaders.REQUEST_ID);
              if (cause instanceof Problem p) {
                Problem.send(ctx, p);
              } else if (cause instanceof Unavailable) {
                // InfluxDB's and the client's words stay in the log; the caller gets the id.
                log.warn(
                    "store query failed requestId={} path={} reason={}",
                    id,
                    ctx.request().path(),
                    cause.getCause().toString());
                Problem.send(
                    ctx,
                    new Problem(
                        503,
                        "Storage unavailable",
                        "the KPI store did not answer in time; try again",
                        null));
              } else {
                // A store answer this API cannot read, or a bug: the failure handler logs it and
                // answers 500 without its words.
                ctx.fail(500, cause);
              }
            });
  }

  /** The store could not be reached or did not answer in time. */
  private static final class Unavailable extends RuntimeException {
    Unavailable(Throwable cause) {
      super(cause);
    }
  }

  /** Whether {@code e} says the store could not be reached or did not answer in time. */
  static boolean unavailable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException || t instanceof InfluxDBIOException) {
        return true;
      }
    }
    return false;
  }

  public void close() {
    pool.close();
  }
}
