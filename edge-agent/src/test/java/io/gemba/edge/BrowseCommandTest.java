package io.gemba.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemba.edge.config.GatewayConfig;
import io.gemba.edge.southbound.opcua.OpcUaSource;
import io.gemba.edge.southbound.opcua.SignalNode;
import io.gemba.model.config.YamlConfigLoader;
import io.gemba.services.FreePorts;
import io.gemba.sim.ParkSimulation;
import io.gemba.sim.SimClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BrowseCommandTest {

  @TempDir Path dir;
  private ParkSimulation simulation;
  private String endpoint;

  @BeforeEach
  void startServer() throws Exception {
    int port = FreePorts.next();
    simulation =
        ParkSimulation.start(
            Fixtures.singleCncPark(),
            "127.0.0.1",
            port,
            new SimClock(System.currentTimeMillis(), 1),
            1,
            m -> {});
    endpoint = "opc.tcp://127.0.0.1:" + port + "/gemba-sim";
  }

  @AfterEach
  void stopServer() {
    simulation.close();
  }

  private record Result(int code, String out, String err) {}

  private Result browse(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + 1];
    all[0] = "browse";
    System.arraycopy(args, 0, all, 1, args.length);
    int code =
        new CommandLine(new EdgeAgentCommand())
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err))
            .execute(all);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void printsAMachineEntryThatLoadsAsWritten() {
    Result r =
        browse(
            "--endpoint",
            endpoint,
            "--policy",
            "None",
            "--path",
            "Machines/cnc-07",
            "--line",
            "smt-2",
            "--pki",
            dir.resolve("pki").toString());

    assertThat(r.code()).as(r.err()).isZero();
    String gateway =
        "gateway: { id: gw-zj-01, factory: zj-electronics }\n"
            + "uplink: { broker: tcp://127.0.0.1:1883 }\n"
            + "buffer: { dir: "
            + dir.resolve("buffer")
            + " }\n"
            + "machines:\n"
            + r.out();
    GatewayConfig config =
        new YamlConfigLoader().parse(Path.of("gateway.yaml"), gateway, GatewayConfig.class);

    OpcUaSource source = config.machines().get(0).opcua();
    assertThat(config.machines().get(0).id()).isEqualTo("cnc-07");
    assertThat(config.machines().get(0).line()).isEqualTo("smt-2");
    assertThat(source.security().unsecured()).isTrue();
    assertThat(source.signals())
        .extracting(SignalNode::name)
        .containsExactlyInAnyOrder(
            "spindle_speed",
            "spindle_load",
            "spindle_power",
            "feed_rate",
            "coolant_temperature",
            "vibration_rms",
            "tool_wear",
            "machine_temperature",
            "machine_state",
            "parts_total",
            "parts_good");
    assertThat(source.signals())
        .filteredOn(s -> s.name().equals("spindle_speed"))
        .extracting(SignalNode::node)
        .containsExactly("ns=2;s=cnc-07/Spindle.Speed");
    assertThat(r.out())
        .contains("# state: { node: \"ns=2;s=cnc-07/Machine.State\"")
        .contains("# counter candidate: \"ns=2;s=cnc-07/Parts.Total\"")
        .contains("Double = ");
  }

  @Test
  void includeFilter_andUnknownPath() {
    Result spindle =
        browse(
            "--endpoint",
            endpoint,
            "--policy",
            "None",
            "--path",
            "Machines/cnc-07",
            "--include",
            "Spindle.*");
    assertThat(spindle.code()).isZero();
    assertThat(spindle.out())
        .contains("spindle_speed", "spindle_load")
        .doesNotContain("parts_good");

    Result missing =
        browse("--endpoint", endpoint, "--policy", "None", "--path", "Machines/cnc-99");
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("no node 'cnc-99' below Objects/Machines");
  }

  @Test
  void badOption_exitsTwoNamingIt() {
    Result r = browse("--endpoint", endpoint, "--policy", "Basic128Rsa15");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--policy").contains("Basic256Sha256");
  }
}
