package io.gemba.api;

import io.gemba.api.http.AssetsHandler;
import io.gemba.api.http.EventHandlers;
import io.gemba.api.http.KpiHandlers;
import io.gemba.api.http.MachineHandlers;
import io.gemba.api.http.Problem;
import io.gemba.api.http.RequestValidation;
import io.gemba.api.http.SecurityHeaders;
import io.gemba.api.http.StoreQueries;
import io.gemba.api.live.LiveFeed;
import io.gemba.api.live.LiveHandler;
import io.gemba.api.security.ApiSecurity;
import io.gemba.api.security.ApiUser;
import io.gemba.api.security.SignIn;
import io.gemba.api.store.KpiStore;
import io.gemba.model.asset.Park;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
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
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API and the dashboard it serves, on one port, over TLS when given a certificate. Every
 * response carries the security headers ({@link SecurityHeaders}); every {@code /api} request needs
 * a bearer token ({@link ApiSecurity}) before any of its body is read, and bodies are JSON of at
 * most {@link #BODY_LIMIT} bytes (413; multipart and form uploads 415); cross-origin calls are
 * allowed only from the configured origins. People sign in with {@link SignIn}. Store queries run
 * side by side on a pool of their own ({@link StoreQueries}). Live KPIs stream as Server-Sent
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
  private SignIn signIn;
  private ServerTls tls;
  private StoreQueries queries;

  /**
   * The server's certificate and key, PEM: served over HTTPS.
   *
   * @param certFile the certificate (chain allowed)
   * @param keyFile its private key (PKCS#8, or PKCS#1 RSA)
   */
  public record ServerTls(Path certFile, Path keyFile) {}

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

  /** Lets people sign in with a user name and password; call before deploying. */
  public ApiVerticle signIn(SignIn signIn) {
    this.signIn = signIn;
    return this;
  }

  /** Serves HTTPS with this certificate; call before deploying. */
  public ApiVerticle tls(ServerTls tls) {
    this.tls = tls;
    return this;
  }

  @Override
  public Future<?> start() {
    return RequestValidation.load(vertx, openApi).compose(this::listen);
  }

  private Future<HttpServer> listen(RequestValidation validation) {
    router = Router.router(vertx);
    queries = new StoreQueries(vertx);
    MachineHandlers machines = new MachineHandlers(queries, park, store, System::currentTimeMillis);
    KpiHandlers kpis = new KpiHandlers(queries, park, store, System::currentTimeMillis);
    EventHandlers events = new EventHandlers(queries, park, store, System::currentTimeMillis);
    router.route().handler(new SecurityHeaders(tls != null));
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
    // Signing in is how a person gets a token: these routes come before authentication, and read
    // a small body (the name and the password).
    BodyHandler signInBody = BodyHandler.create(false).setBodyLimit(4 * 1024);
    if (signIn != null) {
      router.post(SignIn.PATH).handler(ApiVerticle::refuseUploads);
      router.post(SignIn.PATH).handler(signInBody).handler(signIn::signIn);
      router.post(SignIn.PATH + "/refresh").handler(signIn::refresh);
      router.delete(SignIn.PATH).handler(signIn::signOut);
    } else {
      // Nobody is ever signed in: the dashboard's question gets "no".
      router.post(SignIn.PATH + "/refresh").handler(ctx -> ctx.response().setStatusCode(204).end());
      router
          .route(SignIn.PATH + "*")
          .handler(
              ctx ->
                  Problem.send(
                      ctx,
                      Problem.notFound(
                          "signing in is off: the API was started without --passwords")));
    }
    router.route("/api/*").handler(security::authenticate);
    // No route takes uploads: a multipart or form body is refused before a byte of it is read.
    router.route("/api/*").handler(ApiVerticle::refuseUploads);
    // Bodies are read only once their request's token was accepted, and never stored as files.
    router.post("/api/*").handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
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
    HttpServerOptions options = new HttpServerOptions();
    if (tls != null) {
      options
          .setSsl(true)
          .setKeyCertOptions(
              new PemKeyCertOptions()
                  .setCertPath(tls.certFile().toString())
                  .setKeyPath(tls.keyFile().toString()));
    }
    return vertx
        .createHttpServer(options)
        .requestHandler(router)
        .listen(port, host)
        .onSuccess(
            s -> {
              server = s;
              log.info("api listening address={}", baseUrl());
            });
  }

  private static void refuseUploads(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type != null
        && (type.regionMatches(true, 0, "multipart/", 0, 10)
            || type.regionMatches(true, 0, "application/x-www-form-urlencoded", 0, 33))) {
      Problem.send(
          ctx,
          new Problem(
              415,
              "Unsupported media type",
              "the API takes JSON bodies only, never uploads",
              "Content-Type"));
      return;
    }
    ctx.next();
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
    // Not on the store pool, not ordered: slow queries of users never delay the readiness probe.
    vertx
        .executeBlocking(store::ping, false)
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
    if (status >= 500) {
      // What went wrong inside stays in the log; the caller gets the id to quote.
      log.error(
          "request failed requestId={} path={}",
          ctx.<String>get(SecurityHeaders.REQUEST_ID),
          ctx.request().path(),
          ctx.failure());
    }
    String detail =
        switch (status) {
          case 404 -> "no such resource";
          case 413 -> "the request body is larger than this endpoint takes";
          default ->
              status >= 500
                  ? "the request failed inside the API; quote the requestId when reporting it"
                  : "HTTP " + status;
        };
    Problem.send(
        ctx, new Problem(status, status == 404 ? "Not found" : "Request failed", detail, null));
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

  /** The base URL, {@code https://host:port} with TLS, once started. */
  public String baseUrl() {
    return (tls != null ? "https" : "http") + "://" + host + ":" + server.actualPort();
  }

  @Override
  public Future<?> stop() {
    if (queries != null) {
      queries.close();
    }
    store.close();
    if (liveFeed != null) {
      liveFeed.close();
    }
    return server == null ? Future.succeededFuture() : server.close();
  }
}
