package io.gemba.services.plant;

import io.gemba.connect.SecretFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * What an InfluxDB admin does once for a plant, over the v1 HTTP API: the admin user first (an
 * InfluxDB with authentication on and no user yet lets exactly that through), then the databases,
 * the users with their passwords, and their privileges. Every step can run again.
 */
public final class InfluxSetup {

  private final HttpClient http;
  private final String url;
  private final PlantSecrets secrets;
  private final InfluxAccounts accounts;

  /**
   * @param http a client that trusts InfluxDB's certificate
   * @param url InfluxDB's v1 API, e.g. {@code https://influx.plant.local:8086}
   */
  public InfluxSetup(HttpClient http, String url, PlantSecrets secrets, InfluxAccounts accounts) {
    this.http = http;
    this.url = url;
    this.secrets = secrets;
    this.accounts = accounts;
  }

  /** Creates the admin (when missing), {@code databases}, the users and their privileges. */
  public void apply(List<String> databases) {
    String admin = accounts.admin();
    String adminPassword = password(admin);
    // Without users, InfluxDB lets exactly this statement through without credentials; once the
    // admin exists, it answers 401, and the admin's own credentials must work.
    String createAdmin =
        "CREATE USER "
            + quoteIdentifier(admin)
            + " WITH PASSWORD "
            + quoteLiteral(adminPassword)
            + " WITH ALL PRIVILEGES";
    if (query(createAdmin, null) != 200) {
      require(query("SHOW USERS", adminPassword), "SHOW USERS as " + admin);
    }
    List<String> statements = new ArrayList<>();
    for (String database : databases) {
      statements.add("CREATE DATABASE " + quoteIdentifier(database));
    }
    for (InfluxAccounts.User user : accounts.users()) {
      String name = quoteIdentifier(user.name());
      String secret = quoteLiteral(password(user.name()));
      if (query("CREATE USER " + name + " WITH PASSWORD " + secret, adminPassword) != 200) {
        // The user exists: its password is the one in its file now.
        statements.add("SET PASSWORD FOR " + name + " = " + secret);
      }
      for (InfluxAccounts.Grant grant : user.grants()) {
        statements.add(
            "GRANT "
                + grant.privilege()
                + " ON "
                + quoteIdentifier(grant.database())
                + " TO "
                + name);
      }
    }
    for (String statement : statements) {
      require(query(statement, adminPassword), statement);
    }
  }

  private String password(String user) {
    return SecretFile.readString("password", secrets.influxPassword(user));
  }

  private static void require(int status, String statement) {
    if (status != 200) {
      // The statement may hold a password: name its first words only.
      String[] words = statement.split(" ");
      throw new IllegalStateException(
          "InfluxDB refused '"
              + String.join(" ", List.of(words).subList(0, Math.min(3, words.length)))
              + " ...' with HTTP "
              + status);
    }
  }

  /** Runs one statement (POST, so that no password is in a URL); returns the HTTP status. */
  private int query(String statement, String adminPassword) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url + "/query"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "q=" + URLEncoder.encode(statement, StandardCharsets.UTF_8)));
    if (adminPassword != null) {
      request.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder()
                  .encodeToString(
                      (accounts.admin() + ":" + adminPassword).getBytes(StandardCharsets.UTF_8)));
    }
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      // InfluxQL errors come with HTTP 200 and an "error" in the result.
      if (response.statusCode() == 200 && response.body().contains("\"error\"")) {
        return 400;
      }
      return response.statusCode();
    } catch (IOException e) {
      throw new UncheckedIOException("InfluxDB at " + url + " did not answer", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String quoteIdentifier(String name) {
    return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  static String quoteLiteral(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
