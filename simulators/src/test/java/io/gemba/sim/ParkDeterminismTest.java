package io.gemba.sim;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.gemba.model.asset.Park;
import io.gemba.model.asset.StopReason;
import io.gemba.sim.cnc.NodeUpdate;
import io.gemba.sim.machine.SimulatedMachine;
import io.gemba.sim.truth.InjectedFault;
import io.gemba.sim.truth.StateInterval;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The whole demo park — CNC machines, robots, a flow line of stations, random faults — played twice
 * with the same seed in different steps gives the same values and the same ground truth; another
 * seed gives others.
 */
class ParkDeterminismTest {

  private static final Park DEMO = Park.load(Path.of("../deploy/parks/demo.yaml"));

  /** Wednesday 2027-01-13 05:00 in Shanghai: the night shift, then early and late. */
  private static final long ORIGIN = 1_799_787_600_000L;

  private static final long HOURS = 10;

  /** Everything a park run produced; the values as a digest per machine, in park order. */
  private record Played(
      List<String> updates,
      List<Object> minutes,
      List<Object> shifts,
      List<StateInterval> intervals,
      List<InjectedFault> faults) {}

  private static Played play(long seed, long stepMs) {
    List<SimulatedMachine> machines = ParkSimulation.machines(DEMO, seed, ORIGIN, true);
    // Ten hours of values are millions of updates: keep a digest and a count of each machine's.
    List<MessageDigest> digests = new ArrayList<>();
    long[] counts = new long[machines.size()];
    for (int i = 0; i < machines.size(); i++) {
      digests.add(sha256());
      digest(digests.get(i), machines.get(i).initialValues(ORIGIN));
    }
    List<Object> minutes = new ArrayList<>();
    List<Object> shifts = new ArrayList<>();
    List<StateInterval> intervals = new ArrayList<>();
    List<InjectedFault> faults = new ArrayList<>();
    long end = ORIGIN + HOURS * 3_600_000;
    for (long t = ORIGIN; ; t = Math.min(end, t + stepMs)) {
      for (int i = 0; i < machines.size(); i++) {
        SimulatedMachine m = machines.get(i);
        List<NodeUpdate> step = m.advanceTo(t);
        digest(digests.get(i), step);
        counts[i] += step.size();
        minutes.addAll(m.truth().closeUntil(t));
        shifts.addAll(m.truth().drainShifts());
        intervals.addAll(m.truth().drainStateIntervals());
        faults.addAll(m.drainPlacedFaults());
      }
      if (t == end) {
        break;
      }
    }
    // Steps interleave machines differently; compare each kind of truth in a fixed order.
    intervals.sort(
        java.util.Comparator.comparing(StateInterval::machine)
            .thenComparingLong(StateInterval::start));
    faults.sort(
        java.util.Comparator.comparing(InjectedFault::machine)
            .thenComparingLong(InjectedFault::start));
    minutes.sort(java.util.Comparator.comparing(Object::toString));
    shifts.sort(java.util.Comparator.comparing(Object::toString));
    List<String> updates = new ArrayList<>();
    for (int i = 0; i < machines.size(); i++) {
      updates.add(counts[i] + ":" + HexFormat.of().formatHex(digests.get(i).digest()));
    }
    return new Played(updates, minutes, shifts, intervals, faults);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void digest(MessageDigest digest, List<NodeUpdate> updates) {
    for (NodeUpdate u : updates) {
      digest.update((u.variable() + "=" + u.value() + "@" + u.ts() + ";").getBytes(UTF_8));
    }
  }

  @Test
  void sameSeed_sameValuesAndTruth_whateverTheSteps() {
    Played coarse = play(11, 61_000);
    Played fine = play(11, 7_000);

    assertThat(fine.updates()).isEqualTo(coarse.updates());
    // The last two minutes wait for the micro-stop limit to pass after them.
    assertThat(fine.minutes()).isEqualTo(coarse.minutes()).hasSize(26 * (60 * (int) HOURS - 2));
    assertThat(fine.shifts()).isEqualTo(coarse.shifts()).isNotEmpty();
    assertThat(fine.intervals()).isEqualTo(coarse.intervals());
    assertThat(fine.faults()).isEqualTo(coarse.faults());
    // The run exercised what makes it hard: a flow line and random faults.
    assertThat(coarse.intervals())
        .extracting(StateInterval::reason)
        .contains(StopReason.STARVED, StopReason.BLOCKED, StopReason.BREAKDOWN);
    assertThat(coarse.faults()).isNotEmpty();

    Played other = play(12, 61_000);
    assertThat(other.intervals()).isNotEqualTo(coarse.intervals());
    assertThat(other.updates()).isNotEqualTo(coarse.updates());
  }
}
