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
import io.gemba.jobs.influx.InfluxPoints;
import io.gemba.jobs.records.Reading;
import io.gemba.model.asset.MachineState;
import io.gemba.model.asset.Park;
import io.gemba.model.envelope.Quality;
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
import org.influxdb.dto.Point;

/**
 * The API on a free port for tests: its base URL, a token for each user (the first user's as {@code
 * token}), the API's route paths and its security (to issue more tokens). Built with {@link
 * #builder}: every setting has the default most tests want, and a test names only what it changes.
 */
record TestApi(
    String base,
    String token,
    Map<String, String> tokens,
    List<String> paths,
    ApiVerticle verticle,
    ApiSecurity security) {

  /** The signing key of the test APIs. */
  static final String KEY = "test-signing-key-0123456789abcdef";

  /** An InfluxDB that never answers: nothing listens on the discard port. */
  static final String NO_INFLUX = "http://127.0.0.1:9";

  static Builder builder(Vertx vertx, Park park) {
    return new Builder(vertx, park);
  }

  /**
   * The settings of a test API. Defaults: one user {@code ops} (park operator), InfluxDB {@link
   * #NO_INFLUX}, no live feed, no cross-origin callers, the signing key {@link #KEY}, 1,000
   * requests per second and user.
   */
  static final class Builder {
    private final Vertx vertx;
    private final Park park;
    private KpiStore store;
    private LiveFeed live;
    private UsersFile users = new UsersFile(List.of(new ApiUser("ops", Role.PARK_OPERATOR, null)));
    private List<String> origins = List.of();
    private String key = KEY;
    private double ratePerSecond = 1000;
    private BiConsumer<ApiVerticle, ApiSecurity> configure = (api, security) -> {};

    private Builder(Vertx vertx, Park park) {
      this.vertx = vertx;
      this.park = park;
    }

    /** Reads InfluxDB at {@code url} without authentication ({@link #store(String)}). */
    Builder influx(String url) {
      return store(TestApi.store(url));
    }

    Builder store(KpiStore store) {
      this.store = store;
      return this;
    }

    Builder live(LiveFeed live) {
      this.live = live;
      return this;
    }

    /** The users; the first one's token becomes {@link TestApi#token}. */
    Builder users(List<ApiUser> users) {
      return users(new UsersFile(users));
    }

    Builder users(UsersFile users) {
      this.users = users;
      return this;
    }

    /** Browser origins allowed to call the API. */
    Builder origins(String... origins) {
      this.origins = List.of(origins);
      return this;
    }

    Builder key(String key) {
      this.key = key;
      return this;
    }

    Builder ratePerSecond(double ratePerSecond) {
      this.ratePerSecond = ratePerSecond;
      return this;
    }

    /** Sets more on the verticle (sign-in, TLS) before it is deployed. */
    Builder configure(BiConsumer<ApiVerticle, ApiSecurity> configure) {
      this.configure = configure;
      return this;
    }

    /** Deploys the API on {@code vertx} and issues a token of an hour for every user. */
    TestApi start() throws Exception {
      ApiSecurity security = new ApiSecurity(vertx, key, users, ratePerSecond);
      ApiVerticle api =
          new ApiVerticle(
              park,
              store == null ? TestApi.store(NO_INFLUX) : store,
              security,
              origins,
              live,
              "127.0.0.1",
              0);
      configure.accept(api, security);
      vertx.deployVerticle(api).await(30, TimeUnit.SECONDS);
      Map<String, String> tokens = new LinkedHashMap<>();
      for (ApiUser user : users.users()) {
        tokens.put(user.name(), security.issue(user, Duration.ofHours(1)));
      }
      String first = users.users().isEmpty() ? null : tokens.get(users.users().get(0).name());
      return new TestApi(api.baseUrl(), first, tokens, api.apiPaths(), api, security);
    }
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

  /** A machine state as the KPI job stores it; {@code reason} may be null. */
  static Point state(
      String factory, String line, String machine, long ts, MachineState state, String reason) {
    return InfluxPoints.machineState(
        new Reading(
            factory,
            line,
            machine,
            ts,
            Reading.Kind.STATE,
            null,
            Double.NaN,
            state,
            0,
            0,
            Quality.GOOD,
            reason));
  }

  /** A signal value as the KPI job stores it. */
  static Point signal(
      String factory, String line, String machine, String signal, long ts, double value) {
    return InfluxPoints.telemetry(
        new Reading(
            factory,
            line,
            machine,
            ts,
            Reading.Kind.SIGNAL,
            signal,
            value,
            null,
            0,
            0,
            Quality.GOOD,
            null));
  }

  /** Writes points to the test database {@code gemba} as the KPI job does, in line protocol. */
  static void write(String influxUrl, Point... points) throws Exception {
    write(
        influxUrl, java.util.Arrays.stream(points).map(Point::lineProtocol).toArray(String[]::new));
  }

  private static void write(String influxUrl, String... lines) throws Exception {
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
