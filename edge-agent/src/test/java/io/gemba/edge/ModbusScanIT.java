package io.gemba.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemba.services.FreePorts;
import io.gemba.sim.modbus.ModbusDevices;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code edge-agent modbus scan} against a real Modbus TCP server, as docs/gateway-config.md runs
 * it.
 */
class ModbusScanIT {

  record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        new CommandLine(new EdgeAgentCommand())
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err))
            .execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void scan_printsEachRegisterAndEachPairInBothOrders() {
    int port = FreePorts.next();
    try (ModbusDevices devices = ModbusDevices.start("127.0.0.1", port)) {
      devices
          .unit(2)
          .write(
              w ->
                  w.input(100, ByteBuffer.allocate(4).putFloat(230.5f).array())
                      .input(102, ByteBuffer.allocate(2).putShort((short) -7).array())
                      .coil(3, true));
      Result r =
          run(
              "modbus",
              "scan",
              "--endpoint",
              "tcp://127.0.0.1:" + port,
              "--unit",
              "2",
              "--table",
              "input",
              "--from",
              "100",
              "--count",
              "3");
      assertThat(r.code()).as(r.err()).isZero();
      String[] lines = r.out().strip().split("\n");
      assertThat(lines).hasSize(4);
      assertThat(lines[0]).contains("address").contains("float32 CDAB");
      // 230.5f = 0x43668000: register 100 holds 0x4366, 101 holds 0x8000.
      assertThat(lines[1].trim().split("\\s+"))
          .startsWith("100", "0x4366", "17254", "17254", "230.500");
      assertThat(lines[2].trim().split("\\s+")).startsWith("101", "0x8000", "32768", "-32768");
      assertThat(lines[3].trim().split("\\s+")).startsWith("102", "0xFFF9", "65529", "-7");

      Result coils =
          run(
              "modbus",
              "scan",
              "--endpoint",
              "tcp://127.0.0.1:" + port,
              "--unit",
              "2",
              "--table",
              "coil",
              "--from",
              "2",
              "--count",
              "2");
      assertThat(coils.out()).contains("      2  0").contains("      3  1");
    }
  }

  @Test
  void badOptions_exitTwo_andAnAbsentDevice_exitsOne() {
    Result bad = run("modbus", "scan", "--endpoint", "127.0.0.1:502", "--table", "holding");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("--endpoint").contains("tcp://host:port");
    Result table = run("modbus", "scan", "--endpoint", "tcp://127.0.0.1:1", "--table", "registers");
    assertThat(table.code()).isEqualTo(2);
    assertThat(table.err()).contains("--table");
    Result absent =
        run(
            "modbus",
            "scan",
            "--endpoint",
            "tcp://127.0.0.1:" + FreePorts.next(),
            "--timeout-ms",
            "500");
    assertThat(absent.code()).isEqualTo(1);
    assertThat(absent.err()).contains("cannot connect");
  }
}
