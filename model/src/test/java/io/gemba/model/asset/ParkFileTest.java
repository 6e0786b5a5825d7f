package io.gemba.model.asset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gemba.model.config.ConfigException;
import io.gemba.model.config.YamlConfigLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ParkFileTest {

  private static final Path FILE = Path.of("park.yaml");

  private static Park parse(String yaml) {
    return new YamlConfigLoader().parse(FILE, yaml, Park.class);
  }

  private static String park(String machine) {
    return """
        id: demo
        factories:
          - id: zj-electronics
            timeZone: Asia/Shanghai
            shifts:
              - { name: night, start: "22:00", end: "06:00" }
            lines:
              - id: smt-2
                machines:
        """
        + machine.indent(10);
  }

  @Test
  void validPark_bindsTheHierarchy() {
    Park p =
        parse(
            park(
                """
                - id: cnc-07
                  kind: cnc
                  idealCycleSeconds: 20
                  signals:
                    - { name: spindle_speed, unit: rpm }
                """));

    MachinePlacement placement = p.findMachine("cnc-07").orElseThrow();
    assertThat(placement.factory().timeZone().getId()).isEqualTo("Asia/Shanghai");
    assertThat(placement.line().id()).isEqualTo("smt-2");
    assertThat(placement.machine().idealCycleMs()).isEqualTo(20_000.0);
    assertThat(placement.machine().signals()).extracting(Signal::unit).containsExactly("rpm");
  }

  @Test
  void negativeCycleTime_namesFileFieldAndExpectation() {
    assertThatThrownBy(() -> parse(park("- { id: cnc-07, kind: cnc, idealCycleSeconds: -3 }\n")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("park.yaml")
        .hasMessageContaining("factories[0].lines[0].machines[0].idealCycleSeconds")
        .hasMessageContaining("expected a positive number of seconds");
  }

  @Test
  void unknownKind_listsTheKinds() {
    assertThatThrownBy(() -> parse(park("- { id: cnc-07, kind: lathe, idealCycleSeconds: 20 }\n")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("factories[0].lines[0].machines[0].kind")
        .hasMessageContaining("cnc");
  }

  @Test
  void misspeltKey_isRejectedNotIgnored() {
    assertThatThrownBy(() -> parse(park("- { id: cnc-07, kind: cnc, idealCycleSecs: 20 }\n")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("idealCycleSecs")
        .hasMessageContaining("unknown key");
  }

  @Test
  void duplicateMachineId_namesBothPlaces() {
    assertThatThrownBy(
            () ->
                parse(
                    park(
                        """
                        - { id: cnc-07, kind: cnc, idealCycleSeconds: 20 }
                        - { id: cnc-07, kind: cnc, idealCycleSeconds: 20 }
                        """)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("machines[1].id")
        .hasMessageContaining("machines[0]");
  }

  @Test
  void badTimeZone_namesTheField() {
    String yaml =
        park("- { id: cnc-07, kind: cnc, idealCycleSeconds: 20 }\n")
            .replace("Asia/Shanghai", "Mars/Olympus");

    assertThatThrownBy(() -> parse(yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("factories[0].timeZone");
  }

  @Test
  void missingFile_saysSo() {
    assertThatThrownBy(() -> Park.load(Path.of("does-not-exist.yaml")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("does-not-exist.yaml")
        .hasMessageContaining("file not found");
  }

  @Test
  void productionBehaviour_bindsWithDefaultsForWhatIsLeftOut() {
    Park p =
        parse(
            park(
                """
                - id: cnc-07
                  kind: cnc
                  idealCycleSeconds: 20
                  production: { mtbf: PT45M, mttr: PT6M, microStopEvery: PT0S, rejectRate: 0.02 }
                """));

    Production production = p.findMachine("cnc-07").orElseThrow().machine().production();
    assertThat(production.mtbf()).hasMinutes(45);
    assertThat(production.mttr()).hasMinutes(6);
    assertThat(production.microStopEvery()).isZero();
    assertThat(production.rejectRate()).isEqualTo(0.02);
    assertThat(production.changeoverEvery()).isEqualTo(Production.DEFAULTS.changeoverEvery());
  }

  @Test
  void badProductionValue_namesTheField() {
    assertThatThrownBy(
            () ->
                parse(
                    park(
                        "- { id: cnc-07, kind: cnc, idealCycleSeconds: 20,"
                            + " production: { mttr: PT0S } }\n")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("factories[0].lines[0].machines[0].production.mttr")
        .hasMessageContaining("expected a positive duration");
    assertThatThrownBy(
            () ->
                parse(
                    park(
                        "- { id: cnc-07, kind: cnc, idealCycleSeconds: 20,"
                            + " production: { rejectRate: 1.5 } }\n")))
        .hasMessageContaining("production.rejectRate")
        .hasMessageContaining("expected a share from 0 to 1");
  }

  @Test
  void flowLineAndRandomFaults_bind_andBadOnesNameTheirField() {
    String yaml =
        """
        id: demo
        randomFaults:
          - { kind: spike, every: PT4H, duration: PT10M, magnitude: 30, machineKinds: [cnc] }
        factories:
          - id: f1
            timeZone: UTC
            lines:
              - id: conveyor
                flow: { buffer: 3 }
                machines:
                  - { id: st-1, kind: line_station, idealCycleSeconds: 10 }
                  - { id: st-2, kind: line_station, idealCycleSeconds: 10 }
        """;
    Park p = parse(yaml);
    assertThat(p.factories().get(0).lines().get(0).flow().buffer()).isEqualTo(3);
    assertThat(p.randomFaults())
        .singleElement()
        .satisfies(f -> assertThat(f.appliesTo(MachineKind.CNC)).isTrue());
    assertThat(p.randomFaults().get(0).appliesTo(MachineKind.ROBOT)).isFalse();

    assertThatThrownBy(() -> parse(yaml.replace("buffer: 3", "buffer: 0")))
        .hasMessageContaining("factories[0].lines[0].flow.buffer")
        .hasMessageContaining("expected a number of parts");
    assertThatThrownBy(() -> parse(yaml.replace("magnitude: 30, ", "")))
        .hasMessageContaining("randomFaults[0].magnitude")
        .hasMessageContaining("expected a number for a spike fault");
    assertThatThrownBy(() -> parse(yaml.replace("every: PT4H, ", "")))
        .hasMessageContaining("randomFaults[0].every");
  }

  @Test
  void gateways_defaultToOnePerFactory_andAGatewayServesOneFactory() {
    Park park = parse(park("- { id: cnc-07, kind: cnc, idealCycleSeconds: 20 }\n"));
    assertThat(park.factories().get(0).gateways()).containsExactly("gw-zj-electronics");
    assertThat(park.limits().signalsPerMachine()).isEqualTo(100);

    String two =
        """
        id: demo
        limits: { signalsPerMachine: 12 }
        factories:
          - id: a
            gateways: [gw-a1, gw-a2]
            timeZone: UTC
            lines: [ { id: l, machines: [ { id: m1, kind: cnc, idealCycleSeconds: 20 } ] } ]
          - id: b
            gateways: [gw-b1, gw-a2]
            timeZone: UTC
            lines: [ { id: l, machines: [ { id: m2, kind: cnc, idealCycleSeconds: 20 } ] } ]
        """;
    assertThatThrownBy(() -> parse(two))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("factories[1].gateways[1]")
        .hasMessageContaining("gateway 'gw-a2' already serves factory 'a'");
    Park ok = parse(two.replace("[gw-b1, gw-a2]", "[gw-b1]"));
    assertThat(ok.factories().get(0).gateways()).containsExactly("gw-a1", "gw-a2");
    assertThat(ok.limits().signalsPerMachine()).isEqualTo(12);
    assertThatThrownBy(() -> parse(two.replace("gw-b1, gw-a2", "gw-b1, gw-b1")))
        .hasMessageContaining("factories[1].gateways[1]")
        .hasMessageContaining("duplicate gateway id");
    assertThatThrownBy(() -> parse(two.replace("gw-b1, gw-a2", "gw-b1, GW")))
        .hasMessageContaining("factories[1].gateways[1]")
        .hasMessageContaining("expected an id");
    assertThatThrownBy(() -> parse(two.replace("signalsPerMachine: 12", "signalsPerMachine: 0")))
        .hasMessageContaining("limits.signalsPerMachine")
        .hasMessageContaining("expected 1 to 10000");
  }
}
