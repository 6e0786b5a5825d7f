package io.gemba.model.asset;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemba.model.config.YamlConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The park examples users copy from must load as written. */
class ParkDocsTest {

  private static final Path ROOT = Path.of("..");

  static String firstYamlBlock(Path markdown) throws Exception {
    Matcher m =
        Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(markdown));
    assertThat(m.find()).as("a yaml example in %s", markdown).isTrue();
    return m.group(1);
  }

  @Test
  void parkFileReferenceExample_loads() throws Exception {
    Path doc = ROOT.resolve("docs/park-file.md");

    Park park = new YamlConfigLoader().parse(doc, firstYamlBlock(doc), Park.class);

    assertThat(park.findMachine("cnc-07")).isPresent();
  }

  @Test
  void pudongAndLoadParks_load() {
    Park pudong = Park.load(ROOT.resolve("deploy/parks/pudong.yaml"));
    assertThat(pudong.factories()).hasSize(8);
    assertThat(pudong.placements()).hasSizeGreaterThanOrEqualTo(300);
    assertThat(pudong.factories())
        .allSatisfy(f -> assertThat(f.timeZone().getId()).isEqualTo("Asia/Shanghai"));
    assertThat(pudong.factories())
        .extracting(Factory::id)
        .anyMatch(id -> id.startsWith("zj-"))
        .anyMatch(id -> id.startsWith("jq-"))
        .anyMatch(id -> id.startsWith("lg-"))
        .anyMatch(id -> id.startsWith("ljz-"));

    // Every factory packs on a flow line of stations; faults strike at random park-wide.
    assertThat(pudong.factories())
        .allSatisfy(f -> assertThat(f.lines()).anySatisfy(l -> assertThat(l.flow()).isNotNull()));
    assertThat(pudong.randomFaults()).hasSizeGreaterThanOrEqualTo(5);

    Park load = Park.load(ROOT.resolve("deploy/parks/load.yaml"));
    assertThat(load.placements()).hasSize(400);
    assertThat(load.placements().stream().mapToInt(p -> p.machine().signals().size()).sum())
        .isEqualTo(200 * 8 + 200 * 13);
  }

  @Test
  void demoPark_loads() {
    Park park = Park.load(ROOT.resolve("deploy/parks/demo.yaml"));

    assertThat(park.factories()).hasSize(2);
    assertThat(park.placements()).hasSize(26);
    assertThat(park.placements())
        .extracting(p -> p.machine().kind().wireName())
        .contains("cnc", "robot", "line_station", "injection_moulding");
  }
}
