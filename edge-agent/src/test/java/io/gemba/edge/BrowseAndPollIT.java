package io.gemba.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gemba.edge.config.GatewayConfig;
import io.gemba.model.config.YamlConfigLoader;
import io.gemba.model.envelope.Envelope;
import io.gemba.model.envelope.SignalValue;
import io.gemba.services.FreePorts;
import io.gemba.services.MosquittoBroker;
import io.gemba.sim.ParkSimulation;
import io.gemba.sim.SimClock;
import io.gemba.sim.opcua.ServerSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signals found by browsing instead of listed, and nodes polled when a server will not monitor. */
class BrowseAndPollIT {

  @TempDir Path dir;

  private static final String STATE_AND_COUNTERS =
      """
            state: { node: "ns=2;s=cnc-07/Machine.State", map: { 1: producing, 2: idle, 3: down, 4: setup, 5: planned_stop } }
            counters: { total: "ns=2;s=cnc-07/Parts.Total", good: "ns=2;s=cnc-07/Parts.Good" }
      """;

  @Test
  void browsedSignals_byPathWithIncludeAndByRootWithExcludeAndPrefix() throws Exception {
    String machines =
        """
          - id: by-path
            line: smt-2
            opcua:
              endpoint: ENDPOINT
              security: { policy: None }
              browse:
                - { path: Machines/cnc-07, include: ["Spindle.*", "Machine.Temperature"] }
        %s
          - id: by-root
            line: smt-2
            opcua:
              endpoint: ENDPOINT
              security: { policy: None }
              browse:
                - { root: "ns=2;s=cnc-07", exclude: ["Parts.*", "Machine.State", "Feed.*", "Coolant.*", "Tool.*", "Vibration.*", "Spindle.Power"], prefix: cnc }
        %s"""
            .formatted(STATE_AND_COUNTERS, STATE_AND_COUNTERS);

    Map<String, Set<String>> signals = run(ServerSettings.plain("127.0.0.1", 0), machines, 0);

    assertThat(signals.get("by-path"))
        .containsExactlyInAnyOrder(
            "spindle_speed", "spindle_load", "spindle_power", "machine_temperature");
    assertThat(signals.get("by-root"))
        .containsExactlyInAnyOrder(
            "cnc_spindle_speed", "cnc_spindle_load", "cnc_machine_temperature");
  }

  @Test
  void serverWithAMonitoredItemLimit_theRefusedNodesArePolled() throws Exception {
    Map<String, Set<String>> signals =
        run(
            ServerSettings.plain("127.0.0.1", 0).withMaxMonitoredItemsPerSession(3),
            listedMachine("limited", ""),
            3);

    assertThat(signals.get("limited"))
        .containsExactlyInAnyOrder("spindle_speed", "spindle_load", "temperature");
  }

  @Test
  void serverRefusingSubscriptions_everyNodeIsPolled() throws Exception {
    Map<String, Set<String>> signals =
        run(
            ServerSettings.plain("127.0.0.1", 0).withoutSubscriptions(),
            listedMachine("no-subscriptions", ""),
            6);

    assertThat(signals.get("no-subscriptions"))
        .containsExactlyInAnyOrder("spindle_speed", "spindle_load", "temperature");
  }

  @Test
  void nodeConfiguredWithPoll_isPolled() throws Exception {
    Map<String, Set<String>> signals =
        run(ServerSettings.plain("127.0.0.1", 0), listedMachine("forced", ", poll: true"), 1);

    assertThat(signals.get("forced"))
        .containsExactlyInAnyOrder("spindle_speed", "spindle_load", "temperature");
  }

  /** Three signals listed by node id (the first with {@code firstSignalExtra}), state, counters. */
  private static String listedMachine(String id, String firstSignalExtra) {
    return """
          - id: %s
            line: smt-2
            opcua:
              endpoint: ENDPOINT
              security: { policy: None }
              signals:
                - { name: spindle_speed, node: "ns=2;s=cnc-07/Spindle.Speed"%s }
                - { name: spindle_load, node: "ns=2;s=cnc-07/Spindle.Load" }
                - { name: temperature, node: "ns=2;s=cnc-07/Machine.Temperature" }
        %s"""
        .formatted(id, firstSignalExtra, STATE_AND_COUNTERS);
  }

  /**
   * Runs the machines against a simulated cnc-07 until every machine sent changing values of all
   * its signals plus states and both counters; checks how many nodes each machine polls.
   *
   * @return the signal names each machine sent
   */
  private Map<String, Set<String>> run(ServerSettings settings, String machines, int polledNodes)
      throws Exception {
    int port = FreePorts.next();
    ServerSettings server =
        new ServerSettings(
            settings.bindHost(),
            settings.advertisedHost(),
            port,
            settings.security(),
            settings.maxMonitoredItemsPerSession(),
            settings.subscriptions(),
            0,
            settings.history());
    try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mosquitto"));
        Fixtures.Receiver receiver = new Fixtures.Receiver(broker.url());
        ParkSimulation simulation =
            ParkSimulation.start(
                Fixtures.singleCncPark(),
                server,
                new SimClock(System.currentTimeMillis(), 30),
                7,
                m -> {})) {
      String yaml =
          """
          gateway: { id: gw-zj-01, factory: zj-electronics }
          uplink: { broker: %s }
          buffer: { dir: %s }
          machines:
          %s"""
              .formatted(
                  broker.url(),
                  dir.resolve("buffer"),
                  machines.replace("ENDPOINT", "opc.tcp://127.0.0.1:" + port + "/gemba-sim"));
      GatewayConfig config =
          new YamlConfigLoader().parse(Path.of("gateway.yaml"), yaml, GatewayConfig.class);
      Set<String> ids =
          config.machines().stream().map(m -> m.id()).collect(Collectors.toUnmodifiableSet());
      try (EdgeAgent agent = EdgeAgent.start(config)) {
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> ids.stream().allMatch(id -> complete(receiver, id)));
        for (String id : ids) {
          assertThat(agent.polledNodes(id)).as("nodes polled by " + id).isEqualTo(polledNodes);
        }
      }
      return ids.stream()
          .collect(
              Collectors.toMap(
                  id -> id,
                  id ->
                      envelopes(receiver, id)
                          .flatMap(e -> e.values().stream())
                          .map(SignalValue::signal)
                          .collect(Collectors.toSet())));
    }
  }

  /** At least three signals, each with several distinct values, a state and both counters. */
  private static boolean complete(Fixtures.Receiver receiver, String machine) {
    Map<String, Long> distinct =
        envelopes(receiver, machine)
            .flatMap(e -> e.values().stream())
            .collect(
                Collectors.groupingBy(
                    SignalValue::signal,
                    Collectors.mapping(SignalValue::value, Collectors.toSet())))
            .entrySet()
            .stream()
            .collect(Collectors.toMap(Map.Entry::getKey, e -> (long) e.getValue().size()));
    boolean states = envelopes(receiver, machine).anyMatch(e -> !e.states().isEmpty());
    long counters =
        envelopes(receiver, machine)
            .flatMap(e -> e.counters().stream())
            .map(c -> c.counter())
            .distinct()
            .count();
    return distinct.size() >= 3
        && distinct.values().stream().allMatch(n -> n >= 3)
        && states
        && counters == 2;
  }

  private static java.util.stream.Stream<Envelope> envelopes(
      Fixtures.Receiver receiver, String machine) {
    return receiver.envelopesInArrivalOrder().stream()
        .filter(e -> e.machine().id().equals(machine));
  }
}
