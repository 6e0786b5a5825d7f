package io.gemba.api;

import io.gemba.api.http.AssetsHandler;
import io.gemba.api.http.EventHandlers;
import io.gemba.api.http.KpiHandlers;
import io.gemba.api.http.MachineHandlers;
import io.gemba.api.http.Problem;
import io.gemba.api.http.RequestValidation;
import io.gemba.api.live.LiveFeed;
import io.gemba.api.live.LiveHandler;
import io.gemba.api.security.ApiSecurity;
import io.gemba.api.security.ApiUser;
import io.gemba.api.store.KpiStore;
import io.gemba.model.asset.Park;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API and the dashboard it serves, on one port. Every {@code /api} request needs a bearer
 * token ({@link ApiSecurity}); request bodies are limited to {@link #BODY_LIMIT} bytes (413), and
 * cross-origin calls are allowed only from the configured origins. Live KPIs stream as Server-Sent
 * Events from the {@link LiveFeed}, when there is one.
 */
public final class ApiVerticle extends VerticleBase {

  /** The largest request body accepted, in bytes. */
  public static final long BODY_LIMIT = 64 * 1024;

  private static final Logger log = LoggerFactory.getLogger(ApiVerticle.class);

  private final Park park;
  private final KpiStore store;
  private final ApiSecurity security;
  private final List<String> corsOrigins;
  private final LiveFeed liveFeed;
  private final String host;
  private final int port;
  private HttpServer server;
  private Router router;
  private final String openApi = openApiDocument();
  private OeeBands oeeBands = OeeBands.DEFAULT;

  /**
   * @param port 0 for any free port; see {@link #actualPort()}
   */
  public ApiVerticle(
      Park park,
      KpiStore store,
      ApiSecurity security,
      List<String> corsOrigins,
      LiveFeed liveFeed,
      String host,
      int port) {
    this.liveFeed = liveFeed;
    this.park = park;
    this.store = store;
    this.security = security;
    this.corsOrigins = List.copyOf(corsOrigins);
    this.host = host;
    this.port = port;
  }

  /** Sets the dashboards' OEE colour bands; call before deploying. */
  public ApiVerticle oeeBands(OeeBands bands) {
    this.oeeBands = bands;
    return this;
  }

  @Override
  public Future<?> start() {
    return RequestValidation.load(vertx, openApi).compose(this::listen);
  }

  private Future<HttpServer> listen(RequestValidation validation) {
    router = Router.router(vertx);
    MachineHandlers machines = new MachineHandlers(vertx, park, store, System::currentTimeMillis);
    KpiHandlers kpis = new KpiHandlers(vertx, park, store, System::currentTimeMillis);
    EventHandlers events = new EventHandlers(vertx, park, store, System::currentTimeMillis);
    router.route().handler(BodyHandler.create().setBodyLimit(BODY_LIMIT));
    if (!corsOrigins.isEmpty()) {
      router
          .route("/api/*")
          .handler(
              CorsHandler.create()
                  .addOrigins(corsOrigins)
                  .allowedHeader("Authorization")
                  .allowedHeader("Content-Type")
                  .allowedMethod(HttpMethod.GET)
                  .allowedMethod(HttpMethod.POST));
    }
    router.get("/health").handler(this::health);
    // The API's own description is open, as /health is.
    router
        .get("/api/v1/openapi.yaml")
        .handler(ctx -> ctx.response().putHeader("Content-Type", "application/yaml").end(openApi));
    router.route("/api/*").handler(security::authenticate);
    router.route("/api/v1/*").handler(validation::handle);
    router.get("/api/v1/me").handler(this::me);
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
    router.get("/api/v1/machines/:machineId/states").handler(machines::states);
    router.get("/api/v1/factories/:factoryId/states").handler(machines::factoryStates);
    router.get("/api/v1/anomalies").handler(events::anomalies);
    router.post("/api/v1/anomalies/acknowledge").handler(events::acknowledge);
    router.get("/api/v1/gaps").handler(events::gaps);
    LiveHandler live = new LiveHandler(vertx, park, liveFeed);
    router.get(ApiSecurity.LIVE_PATH).handler(live::handle);
    router.get(ApiSecurity.LIVE_PATH + "/latest").handler(live::latest);
    router.route("/api/*").handler(ctx -> Problem.send(ctx, Problem.notFound("no such endpoint")));
    router.get("/").handler(ctx -> ctx.redirect("/dashboard/"));
    // What the dashboards need before they call the API: colour bands, no secrets.
    JsonObject dashboardConfig = new JsonObject().put("oeeBands", oeeBands.toJson());
    router.get("/dashboard/config.json").handler(ctx -> ctx.json(dashboardConfig));
    router
        .route("/dashboard/vendor/uplot/*")
        .handler(StaticHandler.create(UPLOT_DIST).setMaxAgeSeconds(86_400));
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

  /** {@code GET /api/v1/me}: who the token is for, so that a dashboard opens on what they read. */
  private void me(RoutingContext ctx) {
    ApiUser user = ApiSecurity.user(ctx);
    ctx.json(
        new JsonObject()
            .put("name", user.name())
            .put("role", user.role().wireName())
            .put("factory", user.factory())
            .put("readsPark", user.mayReadPark()));
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

  /** uPlot's files in its WebJar, whose path carries the version the build resolved. */
  private static final String UPLOT_DIST =
      "META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist";

  private static String uplotVersion() {
    try (InputStream in =
        ApiVerticle.class.getResourceAsStream(
            "/META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
      if (in == null) {
        throw new IllegalStateException("the uPlot WebJar is missing from the class path");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String openApiDocument() {
    try (InputStream in = ApiVerticle.class.getResourceAsStream("/openapi/openapi.yaml")) {
      if (in == null) {
        throw new IllegalStateException("openapi/openapi.yaml missing from the API's jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The paths of the API's routes, in OpenAPI form ({@code {machineId}}), once started. */
  public List<String> apiPaths() {
    return router.getRoutes().stream()
        .map(Route::getPath)
        // not the handlers of every path (/api/v1/*), whose path ends with the slash
        .filter(p -> p != null && p.startsWith("/api/v1/") && !p.endsWith("/"))
        .map(p -> p.replaceAll(":([A-Za-z]+)", "{$1}"))
        .distinct()
        .toList();
  }

  /** The bound port, once started. */
  public int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> stop() {
    store.close();
    if (liveFeed != null) {
      liveFeed.close();
    }
    return server == null ? Future.succeededFuture() : server.close();
  }
}
