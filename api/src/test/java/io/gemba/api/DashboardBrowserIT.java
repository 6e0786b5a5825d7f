package io.gemba.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gemba.api.live.LiveFeed;
import io.gemba.api.security.ApiUser;
import io.gemba.api.security.PasswordsFile;
import io.gemba.api.security.Role;
import io.gemba.api.security.SignIn;
import io.gemba.api.security.UsersFile;
import io.gemba.model.asset.Park;
import io.gemba.model.config.YamlConfigLoader;
import io.gemba.services.InfluxDatabase;
import io.gemba.services.MosquittoBroker;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The dashboards in Debian's headless Chromium, served by the API from real influxd and mosquitto
 * fed as the KPI job would: every view loads with a clean console and shows live values that
 * change; a park operator drills park → factory → line → machine; the language switches; a plant
 * engineer opens on their own factory. Screenshots go to target/screenshots.
 */
class DashboardBrowserIT {

  private static final String PARK =
      """
      id: pudong
      name: Pudong demo park
      factories:
        - id: zj
          name: Zhangjiang Electronics
          timeZone: Asia/Shanghai
          lines:
            - id: smt-2
              name: SMT line 2
              machines:
                - { id: cnc-07, name: CNC 07, kind: cnc, idealCycleSeconds: 20,
                    signals: [ { name: spindle_load, unit: "%" }, { name: spindle_speed, unit: rpm } ] }
                - { id: robot-03, name: Robot 03, kind: robot, idealCycleSeconds: 15,
                    signals: [ { name: joint_torque, unit: Nm } ] }
            - id: asm-1
              name: Assembly 1
              machines:
                - { id: st-11, name: Station 11, kind: line_station, idealCycleSeconds: 30,
                    signals: [ { name: press_force, unit: kN } ] }
        - id: jq
          name: Jinqiao Motors
          timeZone: Asia/Shanghai
          lines:
            - id: body
              name: Body shop
              machines:
                - { id: robot-21, name: Robot 21, kind: robot, idealCycleSeconds: 15,
                    signals: [ { name: joint_torque, unit: Nm } ] }
      """;

  private static final String ENGINEER_PASSWORD = "li-wei's shift password";

  @TempDir static Path dir;
  static InfluxDatabase influx;
  static MosquittoBroker broker;
  static DashboardFeed feed;
  static Vertx vertx;
  static String base;
  static String opsToken;
  static String engineerToken;
  Browser browser;

  @BeforeAll
  static void start() throws Exception {
    influx = TestApi.influx(dir.resolve("influx"));
    broker = MosquittoBroker.start(dir.resolve("mosquitto"));
    Park park = new YamlConfigLoader().parse(Path.of("park.yaml"), PARK, Park.class);
    feed = DashboardFeed.start(park, influx.url(), broker.url());
    vertx = Vertx.vertx();
    List<ApiUser> users =
        List.of(
            new ApiUser("ops", Role.PARK_OPERATOR, null),
            new ApiUser("li-wei", Role.PLANT_ENGINEER, "zj"));
    PasswordsFile passwords = new PasswordsFile(dir.resolve("passwords"));
    passwords.set("li-wei", ENGINEER_PASSWORD.toCharArray());
    TestApi api =
        TestApi.builder(vertx, park)
            .influx(influx.url())
            .live(LiveFeed.start(vertx, broker.endpoint()))
            .users(users)
            .configure(
                (verticle, security) ->
                    verticle.signIn(
                        new SignIn(vertx, security, new UsersFile(users), passwords, false)))
            .start();
    base = api.base();
    opsToken = api.tokens().get("ops");
    engineerToken = api.tokens().get("li-wei");
  }

  @AfterAll
  static void stop() throws Exception {
    if (feed != null) {
      feed.close();
    }
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
    if (broker != null) {
      broker.close();
    }
    if (influx != null) {
      influx.close();
    }
  }

  @BeforeEach
  void openBrowser() throws Exception {
    browser =
        new Browser(Files.createTempDirectory(dir, "chromium"), Path.of("target", "screenshots"));
  }

  @AfterEach
  void closeBrowser() {
    browser.close();
  }

  private List<WebElement> all(String css) {
    return browser.driver.findElements(By.cssSelector(css));
  }

  private String text(String css) {
    return browser.text(css);
  }

  /** Waits until the element shows a percentage, then until it shows a different one. */
  private void awaitChanging(String css) {
    await().atMost(Duration.ofSeconds(20)).until(() -> text(css).endsWith("%"));
    String first = text(css);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> !text(css).equals(first) && text(css).endsWith("%"));
  }

  /**
   * With the feed paused, waits until the element shows the figure the API returns for the same
   * scope and window ({@code /api/v1/live/latest}), formatted as the dashboards format ratios.
   */
  private void assertShowsWhatTheApiReturns(
      String css, String query, String kind, String scope, String id, String figure) {
    feed.pause();
    try {
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                double value = latest(query, kind, scope, id).getDouble(figure);
                String expected = String.format(Locale.ROOT, "%.1f %%", value * 100);
                assertThat(text(css)).as("%s of %s %s", figure, scope, id).isEqualTo(expected);
              });
    } finally {
      feed.resume();
    }
  }

  /** The latest live figures of {@code kind} for one scope, as the API returns them. */
  private static JsonObject latest(String query, String kind, String scope, String id)
      throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/live/latest?" + query))
                    .header("Authorization", "Bearer " + opsToken)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonObject found = null;
    for (Object o : new JsonObject(r.body()).getJsonArray("latest")) {
      JsonObject event = (JsonObject) o;
      JsonObject data = event.getJsonObject("data");
      if (event.getString("kind").equals(kind)
          && scope.equals(data.getString("scope"))
          && id.equals(data.getString("id"))) {
        found = data;
      }
    }
    assertThat(found).as("latest %s of %s %s", kind, scope, id).isNotNull();
    return found;
  }

  private void click(String css) {
    await().atMost(Duration.ofSeconds(10)).until(() -> !all(css).isEmpty());
    browser.script("document.querySelector(arguments[0]).click()", css);
  }

  private void assertCleanConsole(String view) {
    assertThat(browser.consoleProblems()).as("browser console on the %s view", view).isEmpty();
    assertThat(text("#error")).as("error line on the %s view", view).isEmpty();
  }

  @Test
  void parkOperatorDrillsFromParkToMachineWithLiveValues() {
    browser.driver.get(base + "/dashboard/#token=" + opsToken);

    // Park overview: factories ranked by shift-to-date OEE, a trend each, live figures.
    await().atMost(Duration.ofSeconds(20)).until(() -> all("#factories tbody tr").size() == 2);
    assertThat(browser.driver.getCurrentUrl()).endsWith("#/park");
    awaitChanging("#park-kpis [data-kpi=oee] .value");
    awaitChanging("#factories tr[data-factory=zj] td.oee");
    await().atMost(Duration.ofSeconds(20)).until(() -> all("#factories .spark canvas").size() == 2);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> Integer.parseInt(text("#park-anomalies")) >= 4);
    @SuppressWarnings("unchecked")
    List<String> shown =
        (List<String>)
            browser.script(
                "return [...document.querySelectorAll('#factories tbody td.oee')]"
                    + ".map(e => e.innerText)");
    List<Double> ranked = shown.stream().map(t -> Double.parseDouble(t.replace(" %", ""))).toList();
    assertThat(ranked).isSortedAccordingTo((a, b) -> Double.compare(b, a));
    // The figures shown are the API's for the same scope and window: the park's last minute, a
    // factory's shift to date.
    assertShowsWhatTheApiReturns(
        "#park-kpis [data-kpi=oee] .value", "scope=park", "oee", "park", "pudong", "oee");
    assertShowsWhatTheApiReturns(
        "#factories tr[data-factory=zj] td.oee", "scope=park", "oee_shift", "factory", "zj", "oee");
    assertCleanConsole("park");
    browser.screenshot("1-park");

    // Factory: lines live, machines coloured by their state.
    click("#factories tr[data-factory=zj] a");
    await().until(() -> browser.driver.getCurrentUrl().endsWith("#/factory/zj"));
    awaitChanging("#factory-kpis [data-kpi=oee] .value");
    awaitChanging("#lines tr[data-line=smt-2] td.minute");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                all("#machines a.machine-tile").size() == 3
                    && all("#machines a.machine-tile[data-state=unknown]").isEmpty());
    await().atMost(Duration.ofSeconds(20)).until(() -> !all("#factory-chart canvas").isEmpty());
    assertCleanConsole("factory");
    browser.screenshot("2-factory");

    // Line: its machines with state and live figures.
    click("#lines tr[data-line=smt-2] a");
    await().until(() -> browser.driver.getCurrentUrl().endsWith("#/line/zj/smt-2"));
    assertThat(all("#line-machines tbody tr")).hasSize(2);
    awaitChanging("#line-kpis [data-kpi=oee] .value");
    awaitChanging("#line-machines tr[data-machine=cnc-07] td.minute");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> all("#line-machines [data-state=unknown]").isEmpty());
    assertCleanConsole("line");
    browser.screenshot("3-line");

    // Machine: signal charts that grow, anomaly rows, A/P/Q, losses, Pareto, shift timeline.
    click("#line-machines tr[data-machine=cnc-07] a");
    await().until(() -> browser.driver.getCurrentUrl().endsWith("#/machine/cnc-07"));
    await().atMost(Duration.ofSeconds(20)).until(() -> all("#signals canvas").size() == 2);
    String signalValue = "#signals [data-signal=spindle_load] .signal-value";
    await().atMost(Duration.ofSeconds(20)).until(() -> text(signalValue).endsWith("%"));
    String firstValue = text(signalValue);
    await().atMost(Duration.ofSeconds(20)).until(() -> !text(signalValue).equals(firstValue));
    awaitChanging("#machine-kpis [data-kpi=availability] .value");
    assertShowsWhatTheApiReturns(
        "#machine-kpis [data-kpi=availability] .value",
        "scope=machine&id=cnc-07",
        "oee_shift",
        "machine",
        "cnc-07",
        "availability");
    assertThat(all("#breakdown .bar-row")).hasSize(4);
    assertThat(all("#losses .bar-row")).hasSize(6);
    await().atMost(Duration.ofSeconds(20)).until(() -> !all("#pareto .bar-row").isEmpty());
    await().atMost(Duration.ofSeconds(20)).until(() -> all("#timeline .segment").size() >= 3);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                !all("#anomalies tr[data-rule=outlier]").isEmpty()
                    && !all("#anomalies tr[data-rule=shift]").isEmpty());
    assertThat(text("#state [data-state]")).isNotEmpty();
    assertCleanConsole("machine");
    browser.screenshot("4-machine");

    // 中文 and back: the labels change, the page keeps working.
    String englishLabel = text("#machine-kpis [data-kpi=availability] .label");
    click("#lang");
    await().until(() -> text("#machine-kpis [data-kpi=availability] .label").equals("时间开动率"));
    assertThat(englishLabel).isEqualTo("Availability");
    assertThat(browser.script("return document.documentElement.lang")).isEqualTo("zh-CN");
    assertThat(text("#lang")).isEqualTo("English");
    await().atMost(Duration.ofSeconds(20)).until(() -> all("#signals canvas").size() == 2);
    awaitChanging("#machine-kpis [data-kpi=oee] .value");
    assertCleanConsole("machine (zh-CN)");
    browser.screenshot("5-machine-zh");

    // The breadcrumb leads back to the park, still in Chinese.
    click("#crumbs a[href='#/park']");
    await().atMost(Duration.ofSeconds(20)).until(() -> all("#factories tbody tr").size() == 2);
    assertThat(text("#factories thead")).contains("时间开动率");
    click("#lang");
    await().until(() -> text("#factories thead").contains("Availability"));
    assertCleanConsole("park (en again)");
  }

  @Test
  void plantEngineerOpensOnTheirFactoryAndCannotReachAnother() {
    browser.driver.get(base + "/dashboard/#token=" + engineerToken);
    await().atMost(Duration.ofSeconds(20)).until(() -> all("#machines a.machine-tile").size() == 3);
    assertThat(browser.driver.getCurrentUrl()).endsWith("#/factory/zj");
    assertThat(all("#crumbs a[href='#/park']")).isEmpty();
    awaitChanging("#factory-kpis [data-kpi=oee] .value");
    assertCleanConsole("factory (plant engineer)");
    browser.screenshot("6-factory-engineer");

    // The console check does see what a page logs.
    browser.script("console.error('console probe')");
    assertThat(browser.consoleProblems()).anyMatch(line -> line.contains("console probe"));

    // Another factory is not in their hierarchy: the page goes back to their own.
    browser.driver.get(base + "/dashboard/#/factory/jq");
    await().until(() -> browser.driver.getCurrentUrl().endsWith("#/factory/zj"));
  }

  /** Types into the sign-in form and submits it. */
  private void submitSignIn(String user, String password) {
    await().atMost(Duration.ofSeconds(20)).until(() -> !all("#sign-in").isEmpty());
    WebElement name = browser.driver.findElement(By.id("sign-in-user"));
    name.clear();
    name.sendKeys(user);
    WebElement secret = browser.driver.findElement(By.id("sign-in-password"));
    secret.clear();
    secret.sendKeys(password);
    browser.driver.findElement(By.id("sign-in-submit")).click();
  }

  /** Signs in, waiting first when earlier failures from this address ask for it. */
  private void signIn(String user, String password) {
    submitSignIn(user, password);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> all("#sign-in").isEmpty() || !text("#sign-in-error").isEmpty());
    if (!all("#sign-in").isEmpty() && text("#sign-in-error").startsWith("Too many")) {
      sleep(1000 * Long.parseLong(text("#sign-in-error").replaceAll("\\D+", "")));
      submitSignIn(user, password);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms + 200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The console's problems, but for the refused sign-ins this test makes on purpose. */
  private List<String> unexpectedConsoleProblems() {
    return browser.consoleProblems().stream()
        .filter(
            l ->
                !(l.contains("/api/v1/session ")
                    && (l.contains("status of 401") || l.contains("status of 429"))))
        .toList();
  }

  @Test
  void plantEngineerSignsInWithAPassword_isSlowedDownWhenGuessing_andSignsOut() {
    browser.driver.get(base + "/dashboard/");
    await().atMost(Duration.ofSeconds(20)).until(() -> !all("#sign-in").isEmpty());
    browser.screenshot("7-sign-in");

    // A wrong password is refused, and says so.
    submitSignIn("li-wei", "not my password");
    await().atMost(Duration.ofSeconds(10)).until(() -> !text("#sign-in-error").isEmpty());
    assertThat(text("#sign-in-error")).isEqualTo("Wrong user name or password.");
    assertThat(all("#sign-in")).hasSize(1);

    // Guessing on: after five failures the page says how long to wait.
    for (int i = 2; i <= 6; i++) {
      String before = text("#sign-in-error");
      submitSignIn("li-wei", "guess " + i);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  !all("#sign-in-submit").isEmpty()
                      && browser.driver.findElement(By.id("sign-in-submit")).isEnabled());
      if (i == 6) {
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> text("#sign-in-error").startsWith("Too many"));
      } else {
        assertThat(before).isNotEmpty();
      }
    }
    assertThat(text("#sign-in-error"))
        .matches("Too many failed attempts: wait \\d+ s, then try again\\.");
    browser.screenshot("8-sign-in-throttled");

    // The right password, once the wait is over: the engineer's own factory.
    signIn("li-wei", ENGINEER_PASSWORD);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> browser.driver.getCurrentUrl().endsWith("#/factory/zj"));
    await().atMost(Duration.ofSeconds(20)).until(() -> all("#machines a.machine-tile").size() == 3);
    assertThat(text("#user")).contains("li-wei");
    assertThat(unexpectedConsoleProblems()).isEmpty();

    // The session survives a reload: the page asks the API, the cookie answers.
    browser.driver.navigate().refresh();
    await().atMost(Duration.ofSeconds(20)).until(() -> all("#machines a.machine-tile").size() == 3);
    assertThat(all("#sign-in")).isEmpty();

    // Signing out ends it: the form comes back, and a reload does not bring the session back.
    click("#sign-out");
    await().atMost(Duration.ofSeconds(10)).until(() -> !all("#sign-in").isEmpty());
    assertThat(text("#user")).isEmpty();
    browser.driver.navigate().refresh();
    await().atMost(Duration.ofSeconds(20)).until(() -> !all("#sign-in").isEmpty());
    sleep(1000);
    assertThat(all("#machines a.machine-tile")).isEmpty();
    assertThat(unexpectedConsoleProblems()).isEmpty();
  }

  @Test
  void aLinkForAnotherUser_asksBeforeReplacingWhoeverIsSignedIn() {
    browser.driver.get(base + "/dashboard/");
    signIn("li-wei", ENGINEER_PASSWORD);
    await().atMost(Duration.ofSeconds(20)).until(() -> text("#user").contains("li-wei"));

    // The park operator's link, opened where li-wei is signed in: the page asks, and staying
    // keeps li-wei.
    browser.driver.get(base + "/dashboard/#token=" + opsToken);
    await().atMost(Duration.ofSeconds(20)).until(() -> !all("#link-confirm").isEmpty());
    assertThat(text("#link-confirm")).contains("ops", "li-wei");
    browser.screenshot("9-link-confirm");
    click("#link-stay");
    await().atMost(Duration.ofSeconds(20)).until(() -> text("#user").contains("li-wei"));
    assertThat(browser.driver.getCurrentUrl()).doesNotContain("token=");

    // Again, in a page loaded afresh, and now switching: the operator's park overview.
    browser.driver.get("about:blank");
    browser.driver.get(base + "/dashboard/#token=" + opsToken);
    await().atMost(Duration.ofSeconds(20)).until(() -> !all("#link-confirm").isEmpty());
    click("#link-switch");
    await().atMost(Duration.ofSeconds(20)).until(() -> text("#user").contains("ops"));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> browser.driver.getCurrentUrl().endsWith("#/park"));
    assertThat(unexpectedConsoleProblems()).isEmpty();
  }
}
