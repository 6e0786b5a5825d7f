package io.gemba.sim.robot;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemba.model.asset.Machine;
import io.gemba.model.asset.MachineKind;
import io.gemba.model.asset.MachineState;
import io.gemba.model.calendar.ShiftCalendar;
import io.gemba.sim.cnc.CncState;
import io.gemba.sim.cnc.NodeUpdate;
import io.gemba.sim.machine.SimulatedMachine;
import io.gemba.sim.machine.Variable;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RobotMachineTest {

  private static final long ORIGIN = 1_800_000_000_000L;
  private static final Machine ROBOT =
      new Machine("robot-w01", "Robot W01", MachineKind.ROBOT, 30, List.of());

  private static RobotMachine robot(long seed) {
    return new RobotMachine(ROBOT, ShiftCalendar.aroundTheClock(ZoneOffset.UTC), seed, ORIGIN);
  }

  /** Plays two simulated hours in steps of one second. */
  private static List<NodeUpdate> play(RobotMachine robot) {
    List<NodeUpdate> all = new ArrayList<>();
    for (long t = ORIGIN; t <= ORIGIN + 7_200_000; t += 1_000) {
      all.addAll(robot.advanceTo(t));
    }
    return all;
  }

  @Test
  void sameSeed_sameValuesAndTruth_otherSeed_otherValues() {
    RobotMachine a = robot(7);
    RobotMachine b = robot(7);
    List<NodeUpdate> first = play(a);

    assertThat(play(b)).isEqualTo(first);
    assertThat(a.truth().closeUntil(ORIGIN + 7_200_000))
        .isEqualTo(b.truth().closeUntil(ORIGIN + 7_200_000));
    assertThat(play(robot(8))).isNotEqualTo(first);
  }

  @Test
  void exposesAxesTcpStateAndCounters_andReportsOnlyThose() {
    Set<String> names =
        RobotMachine.VARIABLES.stream().map(Variable::name).collect(Collectors.toSet());
    assertThat(names)
        .contains(
            "Axis1.Torque",
            "Axis6.Temperature",
            "Tcp.Speed",
            SimulatedMachine.STATE,
            SimulatedMachine.STOP_REASON)
        .hasSize(2 * RobotMachine.AXES + 1 + 4);
    assertThat(play(robot(3))).allSatisfy(u -> assertThat(names).contains(u.variable()));
  }

  @Test
  void torquesSwingWhileProducing_drivesOffWhenDown() {
    List<NodeUpdate> updates = play(robot(11));
    int state = 0;
    List<Double> producingTorque = new ArrayList<>();
    List<Double> downTorque = new ArrayList<>();
    List<Double> producingTcp = new ArrayList<>();
    for (NodeUpdate u : updates) {
      if (u.variable().equals(SimulatedMachine.STATE)) {
        state = (Integer) u.value();
      } else if (u.variable().equals(RobotMachine.torque(2))) {
        (state == CncState.code(MachineState.PRODUCING)
                ? producingTorque
                : state == CncState.code(MachineState.DOWN) ? downTorque : new ArrayList<Double>())
            .add((Double) u.value());
      } else if (u.variable().equals(RobotMachine.TCP_SPEED)
          && state == CncState.code(MachineState.PRODUCING)) {
        producingTcp.add((Double) u.value());
      }
    }
    assertThat(producingTorque).isNotEmpty();
    double spread =
        producingTorque.stream().mapToDouble(d -> d).max().orElseThrow()
            - producingTorque.stream().mapToDouble(d -> d).min().orElseThrow();
    assertThat(spread).as("axis 2 torque swing while producing (Nm)").isGreaterThan(500);
    assertThat(producingTcp).anySatisfy(v -> assertThat(v).isGreaterThan(900));
    assertThat(producingTcp).anySatisfy(v -> assertThat(v).isZero());
    assertThat(downTorque).isNotEmpty().allSatisfy(v -> assertThat(v).isZero());
  }
}
