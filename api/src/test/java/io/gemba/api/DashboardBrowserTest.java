package io.gemba.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gemba.api.live.LiveFeed;
import io.gemba.api.security.ApiUser;
import io.gemba.api.security.Role;
import io.gemba.model.asset.Park;
import io.gemba.model.config.YamlConfigLoader;
import io.gemba.services.InfluxDatabase;
import io.gemba.services.MosquittoBroker;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
class DashboardBrowserTest {

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
    influx = InfluxDatabase.start(dir.resolve("influx"));
    influx.createDatabase("gemba");
    broker = MosquittoBroker.start(dir.resolve("mosquitto"));
    Park park = new YamlConfigLoader().parse(Path.of("park.yaml"), PARK, Park.class);
    feed = DashboardFeed.start(park, influx.url(), broker.url());
    vertx = Vertx.vertx();
    TestApi api =
        TestApi.start(
            vertx,
            park,
            influx.url(),
            LiveFeed.start(vertx, broker.url()),
            List.of(
                new ApiUser("ops", Role.PARK_OPERATOR, null),
                new ApiUser("li-wei", Role.PLANT_ENGINEER, "zj")));
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
}
