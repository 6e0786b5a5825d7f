package io.gemba.sim.truth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The ground truth is an oracle only if it does not share the logic it checks: its sources may use
 * the platform's OEE and calendar records to hand results over, and nothing that computes planned
 * time, state times, losses, sums or figures.
 */
class OracleIndependenceTest {

  private static final Path TRUTH = Path.of("src/main/java/io/gemba/sim/truth");

  /** Plain records: data in, data out. */
  private static final Set<String> RECORDS =
      Set.of(
          "io.gemba.model.oee.MachineOee",
          "io.gemba.model.oee.OeeInputs",
          "io.gemba.model.oee.OeeSettings",
          "io.gemba.model.oee.StateTimes",
          "io.gemba.model.calendar.Shift",
          "io.gemba.model.calendar.PlannedStop");

  /** What computes: the platform's calendar and OEE logic, by name and by method. */
  private static final List<String> LOGIC =
      List.of(
          "ShiftCalendar",
          "ShiftOccurrence",
          "TimeInterval",
          "WindowAccounting",
          "MachineCursor",
          "OeeCalculator",
          "OeeTotals",
          "OeeFigures",
          "SixBigLosses",
          ".figures()",
          "times().plus(",
          "times().with(",
          "times().runMs(",
          "times().unplannedStopMs(",
          ".losses()");

  @Test
  void theTruthUsesOnlyRecordsOfTheOeeModelAndCalendar() throws Exception {
    List<String> found = new ArrayList<>();
    Pattern imports = Pattern.compile("import (io\\.gemba\\.model\\.(?:oee|calendar)\\.\\w+);");
    List<Path> sources;
    try (Stream<Path> files = Files.list(TRUTH)) {
      sources = files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
    assertThat(sources).hasSizeGreaterThan(5);
    for (Path source : sources) {
      String text = Files.readString(source);
      Matcher m = imports.matcher(text);
      while (m.find()) {
        if (!RECORDS.contains(m.group(1))) {
          found.add(source.getFileName() + " imports " + m.group(1));
        }
      }
      for (String logic : LOGIC) {
        if (text.replaceAll("(?m)^\\s*(\\*|//).*$", "").contains(logic)) {
          found.add(source.getFileName() + " uses " + logic);
        }
      }
    }
    assertThat(found).as("the oracle's use of the logic it checks").isEmpty();
  }
}
