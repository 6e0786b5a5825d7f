package io.gemba.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemba.edge.config.GatewayConfig;
import io.gemba.edge.southbound.modbus.RegisterOrder;
import io.gemba.edge.southbound.opcua.OpcUaSecurity;
import io.gemba.model.asset.MachineState;
import io.gemba.model.envelope.Counter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GatewayConfigTest {

  @TempDir Path dir;

  static final String VALID =
      """
      gateway:
        id: gw-zj-01
        factory: zj-electronics
      uplink:
        broker: tcp://127.0.0.1:1883
      buffer:
        dir: BUFFER_DIR
        maxBytes: 64MiB
      machines:
        - id: cnc-07
          line: smt-2
          opcua:
            endpoint: opc.tcp://127.0.0.1:4840/gemba-sim
            security: { policy: None }
            publishingIntervalMs: 100
            signals:
              - { name: spindle_speed, node: "ns=2;s=cnc-07/Spindle.Speed", samplingMs: 100 }
            state: { node: "ns=2;s=cnc-07/Machine.State", map: { 1: producing, 2: idle, 3: down, 4: setup, 5: planned_stop } }
            counters: { total: "ns=2;s=cnc-07/Parts.Total", good: "ns=2;s=cnc-07/Parts.Good" }
      """;

  private Result validate(String yaml) throws Exception {
    Path file = dir.resolve("gateway.yaml");
    Files.writeString(file, yaml);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        new CommandLine(new EdgeAgentCommand())
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err))
            .execute("validate", "--config", file.toString());
    return new Result(code, out.toString(), err.toString());
  }

  record Result(int code, String out, String err) {}

  @Test
  void validFile_bindsEveryField() throws Exception {
    Path file = dir.resolve("gateway.yaml");
    Files.writeString(file, VALID);

    GatewayConfig config = GatewayConfig.load(file);

    assertThat(config.uplink().batchDelayMs()).isEqualTo(200);
    assertThat(config.uplink().sessionExpirySeconds()).isEqualTo(86_400);
    assertThat(config.buffer().maxBytes().bytes()).isEqualTo(64L << 20);
    assertThat(config.buffer().fsync()).isTrue();
    assertThat(config.metrics()).isNull();
    assertThat(config.machines().get(0).opcua().state().stateOf(5))
        .isEqualTo(MachineState.PLANNED_STOP);
    assertThat(config.machines().get(0).opcua().state().stateOf(9)).isEqualTo(MachineState.UNKNOWN);
    assertThat(validate(VALID).code()).isZero();
  }

  @Test
  void badNodeId_exitsTwoNamingTheField() throws Exception {
    Result r = validate(VALID.replace("\"ns=2;s=cnc-07/Spindle.Speed\"", "Spindle.Speed"));

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains("gateway.yaml")
        .contains("machines[0].opcua.signals[0].node")
        .contains("expected a NodeId");
  }

  /** Names no envelope may carry are refused when the file is loaded, not at every reading. */
  @Test
  void signalNameTooLongOrGatewayIdWithCapitals_exitTwoNamingTheField() throws Exception {
    String longName = "s".repeat(65);
    Result r = validate(VALID.replace("name: spindle_speed", "name: " + longName));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains("machines[0].opcua.signals[0].name")
        .contains("expected a signal name of 1 to 64");

    r = validate(VALID.replace("id: gw-zj-01", "id: GW-ZJ-01"));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("gateway.id").contains("expected an id");

    r =
        validate(
            VALID.replace(
                "factory: zj-electronics",
                "factory: zj-electronics\n  sourceClock: { action: drop }"));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("gateway.sourceClock.action");
  }

  @Test
  void unknownState_namesTheMapEntry() throws Exception {
    Result r = validate(VALID.replace("2: idle", "2: resting"));

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("machines[0].opcua.state.map").contains("resting");
  }

  /** The example of the gateway file in the edge-agent issue, byte for byte. */
  static final String ISSUE_EXAMPLE =
      """
      gateway:
        id: gw-zj-01
        factory: zj-electronics
      uplink:
        broker: ssl://mqtt.plant.local:8883 # TLS; the broker's certificate and host name are verified
        username: gw-zj-01
        passwordFile: /etc/gemba/uplink.pass
        tls: { caFile: /etc/gemba/ca.crt }  # optionally certFile and keyFile
      buffer:
        dir: ./data/buffer
        maxBytes: 512MiB
      metrics:
        port: 9464                          # /metrics (Prometheus) and /health
      machines:
        - id: cnc-07
          line: smt-2
          opcua:
            endpoint: opc.tcp://10.1.2.3:4840
            security: { policy: Basic256Sha256, mode: SignAndEncrypt }
            publishingIntervalMs: 100
            signals:
              - { name: spindle_speed, node: "ns=2;s=Spindle.Speed", samplingMs: 100, deadband: { absolute: 1.0 } }
              - { name: spindle_load,  node: "ns=2;s=Spindle.Load",  samplingMs: 100 }
            state:    { node: "ns=2;s=Machine.State", map: { 1: producing, 2: idle, 3: down, 4: setup, 5: planned_stop } }
            counters: { total: "ns=2;s=Parts.Total", good: "ns=2;s=Parts.Good" }
        - id: station-3
          line: smt-2
          mqtt:
            broker: tcp://127.0.0.1:1884
            topic: line2/station3/#
            signals:
              - { name: motor_current, path: $.motor.current }
            timestamp: $.ts                 # else arrival time
      """;

  @Test
  void issueExample_isAcceptedAsWritten() throws Exception {
    Path file = dir.resolve("gateway.yaml");
    Files.writeString(file, ISSUE_EXAMPLE);

    GatewayConfig config = GatewayConfig.load(file);

    OpcUaSecurity security = config.machines().get(0).opcua().security();
    assertThat(security.policy()).isEqualTo("Basic256Sha256");
    assertThat(security.mode()).isEqualTo("SignAndEncrypt");
    assertThat(security.user()).isNull();
    assertThat(config.pkiDir()).isEqualTo(Path.of("data/pki").toAbsolutePath());
    assertThat(config.applicationUri()).isEqualTo("urn:gemba:edge-agent:gw-zj-01");
    assertThat(validate(ISSUE_EXAMPLE).code()).isZero();
  }

  @Test
  void noSecurityKey_meansBasic256Sha256WithSignAndEncrypt() throws Exception {
    Path file = dir.resolve("gateway.yaml");
    Files.writeString(file, VALID.replace("      security: { policy: None }\n", ""));

    OpcUaSecurity security = GatewayConfig.load(file).machines().get(0).opcua().security();

    assertThat(security.policy()).isEqualTo("Basic256Sha256");
    assertThat(security.mode()).isEqualTo("SignAndEncrypt");
    assertThat(security.unsecured()).isFalse();
  }

  @Test
  void badSecurity_namesTheFieldAndTheChoices() throws Exception {
    Result policy = validate(VALID.replace("policy: None", "policy: Basic128Rsa15"));
    assertThat(policy.code()).isEqualTo(2);
    assertThat(policy.err())
        .contains("machines[0].opcua.security.policy")
        .contains("Aes256_Sha256_RsaPss")
        .contains("Basic128Rsa15");

    Result mode = validate(VALID.replace("policy: None", "policy: None, mode: Sign"));
    assertThat(mode.code()).isEqualTo(2);
    assertThat(mode.err()).contains("machines[0].opcua.security.mode");

    Result both =
        validate(
            VALID.replace(
                "policy: None",
                "policy: Basic256Sha256, user: { username: op, passwordFile: p, certificateFile:"
                    + " c }"));
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.err()).contains("machines[0].opcua.security.user").contains("not both");

    Result noPassword =
        validate(
            VALID.replace("policy: None", "policy: Aes128_Sha256_RsaOaep, user: { username: op }"));
    assertThat(noPassword.code()).isEqualTo(2);
    assertThat(noPassword.err()).contains("machines[0].opcua.security.user.passwordFile");
  }

  @Test
  void rejectCounter_insteadOfGood() throws Exception {
    Path file = dir.resolve("gateway.yaml");
    Files.writeString(
        file,
        VALID.replace("good: \"ns=2;s=cnc-07/Parts.Good\"", "reject: \"ns=2;s=cnc-07/Parts.Bad\""));

    var counters = GatewayConfig.load(file).machines().get(0).opcua().counters();
    assertThat(counters.qualityCounter()).isEqualTo(Counter.REJECT);
    assertThat(counters.quality()).isEqualTo("ns=2;s=cnc-07/Parts.Bad");

    Result both =
        validate(
            VALID.replace(
                "good: \"ns=2;s=cnc-07/Parts.Good\"",
                "good: \"ns=2;s=cnc-07/Parts.Good\", reject: \"ns=2;s=x\""));
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.err()).contains("machines[0].opcua.counters.good").contains("exactly one");
  }

  @Test
  void severalBadFields_areAllNamedAtOnce() throws Exception {
    Result r =
        validate(
            VALID
                    .replace("maxBytes: 64MiB", "maxBytes: lots")
                    .replace("\"ns=2;s=cnc-07/Spindle.Speed\"", "Spindle.Speed")
                    .replace("2: idle", "2: resting")
                + MQTT_MACHINE.replace("$.motor.current", "motor/current"));

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines().filter(l -> l.startsWith("error: ")))
        .hasSize(4)
        .anySatisfy(l -> assertThat(l).contains("buffer.maxBytes"))
        .anySatisfy(l -> assertThat(l).contains("machines[0].opcua.signals[0].node"))
        .anySatisfy(l -> assertThat(l).contains("machines[0].opcua.state.map"))
        .anySatisfy(l -> assertThat(l).contains("machines[1].mqtt.signals[0].path"));

    Result unknown =
        validate(
            VALID
                .replace("maxBytes: 64MiB", "maxByte: 64MiB")
                .replace("publishingIntervalMs: 100", "publishInterval: 100"));
    assertThat(unknown.err().lines().filter(l -> l.contains("unknown key"))).hasSize(2);
  }

  @Test
  void unknownKey_isNamed() throws Exception {
    Result r = validate(VALID.replace("security: { policy: None }", "publishingIntervalMs2: 1"));

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("machines[0].opcua.publishingIntervalMs2").contains("unknown key");
  }

  @Test
  void badBufferSize_namesTheField() throws Exception {
    Result r = validate(VALID.replace("maxBytes: 64MiB", "maxBytes: lots"));

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("buffer.maxBytes").contains("512MiB");
  }

  @Test
  void missingBuffer_isRejected() throws Exception {
    Result r = validate(VALID.replace("buffer:\n  dir: BUFFER_DIR\n  maxBytes: 64MiB\n", ""));

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("buffer").contains("store-and-forward");
  }

  static final String MQTT_MACHINE =
      """
        - id: station-3
          line: smt-2
          mqtt:
            broker: tcp://127.0.0.1:1884
            topic: line2/station3/#
            signals:
              - { name: motor_current, path: $.motor.current }
            timestamp: $.ts
      """;

  @Test
  void mqttMachine_isAcceptedNextToAnOpcUaMachine() throws Exception {
    assertThat(validate(VALID + MQTT_MACHINE).code()).isZero();
  }

  @Test
  void badJsonPath_namesTheField() throws Exception {
    Result r = validate(VALID + MQTT_MACHINE.replace("$.motor.current", "motor/current"));

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("machines[1].mqtt.signals[0].path").contains("$.motor.current");
  }

  static final String MODBUS_MACHINE =
      """
        - id: imm-01
          line: moulding-1
          modbus:
            endpoint: tcp://192.168.10.21:502
            unitId: 1
            intervalMs: 200
            groups: { slow: 5000 }
            signals:
              - { name: melt_temperature, table: input, address: 0, type: float32, order: CDAB }
              - { name: energy, table: input, address: 10, type: uint32, scale: 0.01, group: slow }
            state: { table: holding, address: 0, map: { 1: producing, 2: idle, 3: down }, reason: { table: holding, address: 1 }, reasons: { 2: jam } }
            counters: { total: { table: holding, address: 2 }, reject: { table: holding, address: 3 } }
      """;

  @Test
  void modbusMachine_isAcceptedAndBound() throws Exception {
    assertThat(validate(VALID + MODBUS_MACHINE).code()).isZero();
    Path file = dir.resolve("modbus.yaml");
    Files.writeString(file, VALID.replace("BUFFER_DIR", dir.toString()) + MODBUS_MACHINE);
    var modbus = GatewayConfig.load(file).machines().get(1).modbus();
    assertThat(modbus.port()).isEqualTo(502);
    assertThat(modbus.intervals()).containsEntry("default", 200).containsEntry("slow", 5000);
    assertThat(modbus.signals().get(0).point().order()).isEqualTo(RegisterOrder.CDAB);
    assertThat(modbus.state().reasonOf(2)).isEqualTo("jam");
    assertThat(modbus.state().reasonOf(5)).isEqualTo("5");
    assertThat(modbus.counters().modulusOf(modbus.counters().total())).isEqualTo(65536L);
  }

  @Test
  void badModbusFields_areNamed() throws Exception {
    Result r =
        validate(
            VALID
                + MODBUS_MACHINE
                    .replace("address: 10, type: uint32", "address: 65535, type: uint32")
                    .replace("group: slow", "group: fast"));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("machines[1].modbus.signals[1].address").contains("65535");

    r = validate(VALID + MODBUS_MACHINE.replace("group: slow", "group: fast"));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("signals[1].group").contains("no polling group 'fast'");

    r = validate(VALID + MODBUS_MACHINE.replace("type: float32, order: CDAB", "type: real"));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("machines[1].modbus.signals[0].type").contains("real");

    r =
        validate(
            VALID
                + MODBUS_MACHINE.replace(
                    "table: holding, address: 2", "table: input, address: 2, type: float32"));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("machines[1].modbus.counters.total").contains("integer type");

    r = validate(VALID + MODBUS_MACHINE.replace("tcp://192.168.10.21:502", "192.168.10.21"));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("machines[1].modbus.endpoint").contains("tcp://host:port");
  }

  @Test
  void machineWithTwoSources_isRejected() throws Exception {
    String both =
        MQTT_MACHINE.replace(
            "    mqtt:",
            "    opcua: { endpoint: \"opc.tcp://h:1/x\", security: { policy: None },"
                + " signals: [ { name: a, node: \"ns=2;s=a\" } ] }\n    mqtt:");
    Result r = validate(VALID + both);

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("machines[1].opcua").contains("exactly one source");
  }

  @Test
  void brokerWithoutPort_isRejected() throws Exception {
    Result r = validate(VALID.replace("tcp://127.0.0.1:1883", "127.0.0.1"));

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("uplink.broker").contains("tcp://host:port");
  }

  @Test
  void passwordOverPlainTcp_isRejectedUnlessAllowed() throws Exception {
    String withPassword =
        VALID.replace(
            "  broker: tcp://127.0.0.1:1883\n",
            "  broker: tcp://127.0.0.1:1883\n  username: gw-a\n  passwordFile: /etc/gemba/gw-a.pass\n");
    assertThat(withPassword).contains("passwordFile: /etc/gemba/gw-a.pass");
    Result refused = validate(withPassword);

    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.err()).contains("uplink.broker").contains("in clear").contains("ssl://");

    Result allowed =
        validate(
            withPassword.replace(
                "  username: gw-a\n", "  username: gw-a\n  allowPlaintext: true\n"));
    assertThat(allowed.code()).as(allowed.err()).isZero();
  }
}
