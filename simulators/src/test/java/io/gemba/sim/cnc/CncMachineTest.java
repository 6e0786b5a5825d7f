package io.gemba.sim.cnc;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemba.model.asset.Machine;
import io.gemba.model.asset.MachineKind;
import io.gemba.model.asset.StopReason;
import io.gemba.model.calendar.ShiftCalendar;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** What a CNC machine's controller shows besides its measurements: stop reason and program. */
class CncMachineTest {

  private static final long ORIGIN = 1_800_000_000_000L;
  private static final long HOUR = 3_600_000;

  @Test
  void everyStateComesWithItsReason_andChangeoversLoadTheNextProgram() {
    CncMachine cnc =
        new CncMachine(
            new Machine("cnc-1", null, MachineKind.CNC, 20, List.of()),
            ShiftCalendar.aroundTheClock(ZoneOffset.UTC),
            3,
            ORIGIN);
    List<NodeUpdate> updates = new ArrayList<>(cnc.initialValues(ORIGIN));
    for (long t = ORIGIN; t <= ORIGIN + 12 * HOUR; t += 60_000) {
      updates.addAll(cnc.advanceTo(t));
    }

    Map<Long, String> reasons = new TreeMap<>();
    Map<Long, Integer> states = new TreeMap<>();
    List<String> programs = new ArrayList<>();
    List<Long> programChanges = new ArrayList<>();
    for (NodeUpdate u : updates) {
      switch (u.variable()) {
        case CncMachine.STATE -> states.put(u.ts(), (Integer) u.value());
        case CncMachine.STOP_REASON -> reasons.put(u.ts(), (String) u.value());
        case CncMachine.PROGRAM -> {
          programs.add((String) u.value());
          programChanges.add(u.ts());
        }
        default -> {}
      }
    }

    assertThat(reasons.keySet()).isEqualTo(states.keySet());
    states.forEach(
        (ts, code) ->
            assertThat(reasons.get(ts).isEmpty()).as("reason at %d", ts).isEqualTo(code == 1));
    List<Long> changeovers =
        reasons.entrySet().stream()
            .filter(e -> e.getValue().equals(StopReason.CHANGEOVER.wireName()))
            .map(Map.Entry::getKey)
            .toList();
    assertThat(changeovers).hasSizeGreaterThanOrEqualTo(3);
    assertThat(programChanges).isEqualTo(concat(ORIGIN, changeovers));
    assertThat(programs)
        .startsWith(
            CncMachine.programName(0),
            CncMachine.programName(1),
            CncMachine.programName(2),
            CncMachine.programName(3),
            CncMachine.programName(0));
  }

  private static List<Long> concat(long first, List<Long> rest) {
    List<Long> all = new ArrayList<>();
    all.add(first);
    all.addAll(rest);
    return all;
  }
}
