package io.gemba.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemba.api.live.LiveFeed;
import io.gemba.api.security.ApiSecurity;
import io.gemba.api.security.ApiUser;
import io.gemba.api.security.Role;
import io.gemba.api.security.UsersFile;
import io.gemba.api.store.InfluxKpiStore;
import io.gemba.api.store.KpiStore;
import io.gemba.connect.InfluxEndpoint;
import io.gemba.model.asset.Park;
import io.gemba.services.InfluxDatabase;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The API on a free port for tests: its base URL, a token for each user (the first user's as {@code
 * token}) and the API's route paths.
 */
record TestApi(String base, String token, Map<String, String> tokens, List<String> paths) {

  /** With one user, {@code ops}, a park operator. */
  static TestApi start(Vertx vertx, Park park, String influxUrl, LiveFeed live) throws Exception {
    return start(
        vertx, park, influxUrl, live, List.of(new ApiUser("ops", Role.PARK_OPERATOR, null)));
  }

  static TestApi start(Vertx vertx, Park park, String influxUrl, LiveFeed live, List<ApiUser> list)
      throws Exception {
    return start(vertx, park, influxUrl, live, list, (api, security) -> {});
  }

  /** The signing key of the test APIs. */
  static final String KEY = "test-signing-key-0123456789abcdef";

  /**
   * As {@link #start}; {@code configure} may set more on the verticle (sign-in, TLS) before it is
   * deployed.
   */
  static TestApi start(
      Vertx vertx,
      Park park,
      String influxUrl,
      LiveFeed live,
      List<ApiUser> list,
      BiConsumer<ApiVerticle, ApiSecurity> configure)
      throws Exception {
    return start(vertx, park, TestApi.store(influxUrl), live, list, configure);
  }

  /** As {@link #start}, over {@code store}. */
  static TestApi start(
      Vertx vertx,
      Park park,
      KpiStore store,
      LiveFeed live,
      List<ApiUser> list,
      BiConsumer<ApiVerticle, ApiSecurity> configure)
      throws Exception {
    UsersFile users = new UsersFile(list);
    ApiSecurity security = new ApiSecurity(vertx, KEY, users, 1000);
    ApiVerticle api = new ApiVerticle(park, store, security, List.of(), live, "127.0.0.1", 0);
    configure.accept(api, security);
    vertx.deployVerticle(api).await(30, TimeUnit.SECONDS);
    Map<String, String> tokens = new LinkedHashMap<>();
    for (ApiUser user : list) {
      tokens.put(user.name(), security.issue(user, Duration.ofHours(1)));
    }
    return new TestApi(api.baseUrl(), tokens.get(list.get(0).name()), tokens, api.apiPaths());
  }

  /**
   * The store over InfluxDB at {@code influxUrl} without authentication: {@code gemba} and its
   * actions database {@code gemba_actions}.
   */
  static InfluxKpiStore store(String influxUrl) {
    return new InfluxKpiStore(
        InfluxEndpoint.open(influxUrl), "gemba", "gemba_actions", Duration.ofSeconds(10));
  }

  /** Writes a park file of one factory {@code fa} with one machine {@code m-a}, for the CLI. */
  static Path writeParkFile(Path file) throws IOException {
    Files.writeString(
        file,
        "id: p\nfactories:\n  - { id: fa, timeZone: UTC, lines: [ { id: l1, machines: [ { id:"
            + " m-a, kind: cnc, idealCycleSeconds: 20 } ] } ] }\n");
    return file;
  }

  /** An InfluxDB of its own under {@code dir} with the API's two databases. */
  static InfluxDatabase influx(Path dir) throws Exception {
    InfluxDatabase influx = InfluxDatabase.start(dir);
    influx.createDatabase("gemba");
    influx.createDatabase("gemba_actions");
    return influx;
  }

  /** Writes line-protocol points to the test database {@code gemba}. */
  /** Writes points as the KPI job does, in its line protocol. */
  static void write(String influxUrl, org.influxdb.dto.Point... points) throws Exception {
    write(
        influxUrl,
        java.util.Arrays.stream(points)
            .map(org.influxdb.dto.Point::lineProtocol)
            .toArray(String[]::new));
  }

  static void write(String influxUrl, String... lines) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(influxUrl + "/write?db=gemba"))
                    .POST(HttpRequest.BodyPublishers.ofString(String.join("\n", lines)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
  }
}
