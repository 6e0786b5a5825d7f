package io.gemba.api;

import io.gemba.api.http.AssetsHandler;
import io.gemba.api.http.KpiHandlers;
import io.gemba.api.http.MachineHandlers;
import io.gemba.api.http.Problem;
import io.gemba.api.store.KpiStore;
import io.gemba.model.asset.Park;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP API and the dashboard it serves, on one port. */
public final class ApiVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(ApiVerticle.class);

  private final Park park;
  private final KpiStore store;
  private final String host;
  private final int port;
  private HttpServer server;

  /**
   * @param port 0 for any free port; see {@link #actualPort()}
   */
  public ApiVerticle(Park park, KpiStore store, String host, int port) {
    this.park = park;
    this.store = store;
    this.host = host;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    MachineHandlers machines = new MachineHandlers(vertx, park, store, System::currentTimeMillis);
    KpiHandlers kpis = new KpiHandlers(vertx, park, store, System::currentTimeMillis);
    router.get("/health").handler(this::health);
    router.get("/api/v1/assets").handler(new AssetsHandler(park));
    for (String scope :
        List.of(
            "/api/v1/machines/:machineId",
            "/api/v1/factories/:factoryId/lines/:lineId",
            "/api/v1/factories/:factoryId",
            "/api/v1/park")) {
      router.get(scope + "/oee").handler(kpis::oee);
      router.get(scope + "/losses").handler(kpis::losses);
    }
    router.get("/api/v1/machines/:machineId/signals/:signal").handler(kpis::signal);
    router.get("/api/v1/machines/:machineId/live").handler(machines::live);
    router.get("/api/v1/anomalies").handler(kpis::anomalies);
    router.get("/api/v1/gaps").handler(kpis::gaps);
    router.route("/api/*").handler(ctx -> Problem.send(ctx, Problem.notFound("no such endpoint")));
    router.get("/").handler(ctx -> ctx.redirect("/dashboard/"));
    router.route("/dashboard/*").handler(StaticHandler.create("webroot").setCachingEnabled(false));
    router.route().failureHandler(this::failure);
    return vertx
        .createHttpServer()
        .requestHandler(router)
        .listen(port, host)
        .onSuccess(
            s -> {
              server = s;
              log.info("api listening address=http://{}:{}/", host, s.actualPort());
            });
  }

  private void health(RoutingContext ctx) {
    vertx
        .executeBlocking(store::ping)
        .onComplete(
            result -> {
              boolean influx = result.succeeded() && result.result();
              ctx.response()
                  .setStatusCode(influx ? 200 : 503)
                  .putHeader("Content-Type", "application/json")
                  .end(
                      new JsonObject()
                          .put("status", influx ? "UP" : "DOWN")
                          .put("influxdb", influx ? "UP" : "DOWN")
                          .encode());
            });
  }

  private void failure(RoutingContext ctx) {
    if (ctx.failure() instanceof Problem problem) {
      Problem.send(ctx, problem);
      return;
    }
    int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
    if (status == 500) {
      log.error("request failed path={}", ctx.request().path(), ctx.failure());
    }
    Problem.send(
        ctx,
        new Problem(
            status,
            status == 404 ? "Not found" : "Request failed",
            ctx.failure() == null ? "HTTP " + status : ctx.failure().getMessage(),
            null));
  }

  /** The bound port, once started. */
  public int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> stop() {
    store.close();
    return server == null ? Future.succeededFuture() : server.close();
  }
}
