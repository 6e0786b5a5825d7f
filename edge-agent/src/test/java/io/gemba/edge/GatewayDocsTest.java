package io.gemba.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemba.edge.config.GatewayConfig;
import io.gemba.edge.southbound.opcua.Backfill;
import io.gemba.model.asset.MachineState;
import io.gemba.model.config.YamlConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The gateway examples users copy from docs/gateway-config.md must load as written. */
class GatewayDocsTest {

  private static List<String> yamlBlocks(Path markdown) throws Exception {
    Matcher m =
        Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(markdown));
    List<String> blocks = new ArrayList<>();
    while (m.find()) {
      blocks.add(m.group(1));
    }
    return blocks;
  }

  @Test
  void referenceExample_withTheMqttMachineAppended_loads() throws Exception {
    Path doc = Path.of("../docs/gateway-config.md");
    List<String> blocks = yamlBlocks(doc);
    assertThat(blocks).hasSizeGreaterThanOrEqualTo(2);

    GatewayConfig config =
        new YamlConfigLoader().parse(doc, blocks.get(0) + blocks.get(1), GatewayConfig.class);

    assertThat(config.machines()).extracting(m -> m.id()).containsExactly("cnc-07", "station-3");
    assertThat(config.machines().get(0).opcua().signals().get(0).deadband().absolute())
        .isEqualTo(1.0);
    assertThat(config.metrics().port()).isEqualTo(9464);
  }

  private static String block(List<String> blocks, String containing) {
    return blocks.stream().filter(b -> b.contains(containing)).findFirst().orElseThrow();
  }

  @Test
  void browseExample_loads() throws Exception {
    Path doc = Path.of("../docs/gateway-config.md");
    List<String> blocks = yamlBlocks(doc);

    GatewayConfig config =
        new YamlConfigLoader()
            .parse(doc, blocks.get(0) + block(blocks, "cnc-08"), GatewayConfig.class);

    var browse = config.machines().get(1).opcua().browse();
    assertThat(browse).hasSize(2);
    assertThat(browse.get(0).matches("Axes/X/Position")).isTrue();
    assertThat(browse.get(0).matches("Axes/X/RawCounts")).isFalse();
    assertThat(browse.get(1).prefix()).isEqualTo("coolant");
    assertThat(config.machines().get(1).opcua().security().policy()).isEqualTo("Basic256Sha256");
  }

  @Test
  void sparkplugExample_loads() throws Exception {
    Path doc = Path.of("../docs/gateway-config.md");
    List<String> blocks = yamlBlocks(doc);

    GatewayConfig config =
        new YamlConfigLoader()
            .parse(doc, blocks.get(0) + block(blocks, "edgeNode: line2-plc"), GatewayConfig.class);

    var sparkplug = config.machines().get(1).sparkplug();
    assertThat(sparkplug.topicFilter()).isEqualTo("spBv1.0/plant1/+/line2-plc/#");
    assertThat(sparkplug.state().stateOf("3")).isEqualTo(MachineState.DOWN);
  }

  @Test
  void modbusExample_loads() throws Exception {
    Path doc = Path.of("../docs/gateway-config.md");
    List<String> blocks = yamlBlocks(doc);

    GatewayConfig config =
        new YamlConfigLoader()
            .parse(doc, blocks.get(0) + block(blocks, "    modbus:"), GatewayConfig.class);

    var modbus = config.machines().get(1).modbus();
    assertThat(modbus.intervals()).containsEntry("default", 100).containsEntry("meter", 1000);
    assertThat(modbus.signals()).hasSize(7);
    assertThat(modbus.state().reasonOf(3)).isEqualTo("mould change");
    assertThat(modbus.counters().modulusOf(modbus.counters().total())).isEqualTo(65536L);
  }

  @Test
  void backfillExample_loads() throws Exception {
    Path doc = Path.of("../docs/gateway-config.md");
    List<String> blocks = yamlBlocks(doc);

    GatewayConfig config =
        new YamlConfigLoader()
            .parse(doc, blocks.get(0) + block(blocks, "backfill: {"), GatewayConfig.class);

    var backfill = config.machines().get(1).opcua().backfill();
    assertThat(backfill.enabled()).isTrue();
    assertThat(backfill.maxWindow()).isEqualTo(Duration.ofHours(1));
    assertThat(backfill.batchSize()).isEqualTo(1000);
    assertThat(config.machines().get(0).opcua().backfill())
        .as("on by default")
        .isEqualTo(Backfill.DEFAULT);
  }

  /** Each register-map template, pasted under machines: as its header says, loads. */
  @Test
  void modbusTemplates_load() throws Exception {
    Path doc = Path.of("../docs/gateway-config.md");
    String reference = yamlBlocks(doc).get(0);
    Map<String, Integer> signals =
        Map.of("injection-moulding.yaml", 4, "energy-meter.yaml", 9, "machine-plc-bits.yaml", 2);
    for (Map.Entry<String, Integer> template : signals.entrySet()) {
      Path file = Path.of("../deploy/modbus-templates").resolve(template.getKey());
      GatewayConfig config =
          new YamlConfigLoader()
              .parse(file, reference + Files.readString(file), GatewayConfig.class);
      assertThat(config.machines().get(1).modbus().signals())
          .as(template.getKey())
          .hasSize(template.getValue());
      assertThat(Files.readString(doc)).contains("deploy/modbus-templates/" + template.getKey());
    }
    try (var listed = Files.list(Path.of("../deploy/modbus-templates"))) {
      assertThat(listed.map(f -> f.getFileName().toString()))
          .containsExactlyInAnyOrderElementsOf(signals.keySet());
    }
  }

  @Test
  void securedExamples_load() throws Exception {
    Path doc = Path.of("../docs/gateway-config.md");
    List<String> blocks = yamlBlocks(doc);

    GatewayConfig config =
        new YamlConfigLoader()
            .parse(doc, blocks.get(0) + block(blocks, "robot-2"), GatewayConfig.class);

    assertThat(config.machines()).extracting(m -> m.id()).contains("robot-2", "press-1");
    assertThat(config.machines().get(1).opcua().security().policy())
        .isEqualTo("Aes256_Sha256_RsaPss");
    assertThat(config.machines().get(2).opcua().security().policy()).isEqualTo("Basic256Sha256");
    assertThat(config.machines().get(2).opcua().security().mode()).isEqualTo("Sign");
    assertThat(config.pkiDir()).isEqualTo(Path.of("./data/pki"));
  }
}
