package io.gemba.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemba.model.asset.FaultKind;
import io.gemba.model.asset.Park;
import io.gemba.model.config.YamlConfigLoader;
import io.gemba.sim.cnc.CncMachine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The fault example in docs/simulators.md loads and its faults fit the machine. */
class SimulatorsDocsTest {

  @Test
  void faultExample_loadsAndPlacesEveryFault() throws Exception {
    Path doc = Path.of("../docs/simulators.md");
    Matcher m =
        Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(doc));
    assertThat(m.find()).isTrue();

    Park park = new YamlConfigLoader().parse(doc, m.group(1), Park.class);
    var placement = park.placements().get(0);
    CncMachine cnc = new CncMachine(placement.machine(), placement.factory().calendar(), 1, 0);

    assertThat(cnc.faults())
        .extracting(f -> f.fault().kind())
        .containsExactly(FaultKind.DRIFT, FaultKind.STUCK, FaultKind.SPIKE, FaultKind.CLOCK_SKEW);
    assertThat(cnc.faults().get(0).end() - cnc.faults().get(0).start()).isEqualTo(6 * 3_600_000L);
  }
}
