package io.gemba.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemba.model.asset.FaultKind;
import io.gemba.model.asset.Park;
import io.gemba.model.asset.Production;
import io.gemba.model.config.YamlConfigLoader;
import io.gemba.sim.cnc.CncMachine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The YAML examples in docs/simulators.md load, and say what the code does. */
class SimulatorsDocsTest {

  private static final Path DOC = Path.of("../docs/simulators.md");

  private static String block(String startingWith) throws Exception {
    Matcher m =
        Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(DOC));
    List<String> blocks = new ArrayList<>();
    while (m.find()) {
      blocks.add(m.group(1));
    }
    return blocks.stream()
        .filter(b -> b.startsWith(startingWith))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no yaml example starting " + startingWith));
  }

  @Test
  void faultExample_loadsAndPlacesEveryFault() throws Exception {
    Park park = new YamlConfigLoader().parse(DOC, block("id: fault-demo"), Park.class);
    var placement = park.placements().get(0);
    CncMachine cnc = new CncMachine(placement.machine(), placement.factory().calendar(), 1, 0);

    assertThat(cnc.faults())
        .extracting(f -> f.fault().kind())
        .containsExactly(FaultKind.DRIFT, FaultKind.STUCK, FaultKind.SPIKE, FaultKind.CLOCK_SKEW);
    assertThat(cnc.faults().get(0).end() - cnc.faults().get(0).start()).isEqualTo(6 * 3_600_000L);
  }

  @Test
  void productionExample_isTheDefaults() throws Exception {
    String yaml = block("production:").replaceFirst("production:\\n", "").stripIndent();

    Production documented = new YamlConfigLoader().parse(DOC, yaml, Production.class);

    assertThat(documented).isEqualTo(Production.DEFAULTS);
  }

  @Test
  void randomFaultExample_loadsInAPark() throws Exception {
    String yaml = block("randomFaults:") + block("id: fault-demo");

    Park park = new YamlConfigLoader().parse(DOC, yaml, Park.class);

    assertThat(park.randomFaults())
        .extracting(f -> f.kind())
        .containsExactly(FaultKind.DRIFT, FaultKind.LEVEL_SHIFT, FaultKind.DROPOUT);
    ParkSimulation.checkRandomFaults(park);
  }
}
