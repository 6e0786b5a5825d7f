package io.gemba.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemba.api.live.LiveFeed;
import io.gemba.api.security.ApiSecurity;
import io.gemba.api.security.ApiUser;
import io.gemba.api.security.Role;
import io.gemba.api.security.UsersFile;
import io.gemba.api.store.InfluxKpiStore;
import io.gemba.model.asset.Park;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
    UsersFile users = new UsersFile(list);
    ApiSecurity security = new ApiSecurity(vertx, "test-signing-key-0123456789abcdef", users, 1000);
    ApiVerticle api =
        new ApiVerticle(
            park,
            new InfluxKpiStore(influxUrl, "gemba"),
            security,
            List.of(),
            live,
            "127.0.0.1",
            0);
    vertx.deployVerticle(api).await(30, TimeUnit.SECONDS);
    Map<String, String> tokens = new LinkedHashMap<>();
    for (ApiUser user : list) {
      tokens.put(user.name(), security.issue(user, Duration.ofHours(1)));
    }
    return new TestApi(
        "http://127.0.0.1:" + api.actualPort(),
        tokens.get(list.get(0).name()),
        tokens,
        api.apiPaths());
  }

  /** Writes line-protocol points to the test database {@code gemba}. */
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
