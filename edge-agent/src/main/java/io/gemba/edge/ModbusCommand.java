package io.gemba.edge;

import com.digitalpetri.modbus.client.ModbusTcpClient;
import com.digitalpetri.modbus.exceptions.ModbusExecutionException;
import com.digitalpetri.modbus.exceptions.ModbusResponseException;
import com.digitalpetri.modbus.exceptions.ModbusTimeoutException;
import com.digitalpetri.modbus.pdu.ReadCoilsRequest;
import com.digitalpetri.modbus.pdu.ReadDiscreteInputsRequest;
import com.digitalpetri.modbus.pdu.ReadHoldingRegistersRequest;
import com.digitalpetri.modbus.pdu.ReadInputRegistersRequest;
import com.digitalpetri.modbus.tcp.client.NettyTcpClientTransport;
import io.gemba.edge.southbound.modbus.ModbusEndpoint;
import io.gemba.edge.southbound.modbus.ModbusPoint;
import io.gemba.edge.southbound.modbus.ModbusTable;
import io.gemba.edge.southbound.modbus.ModbusType;
import io.gemba.edge.southbound.modbus.RegisterOrder;
import io.gemba.model.config.InvalidFieldException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code edge-agent modbus scan}: what a Modbus device holds, where browsing is not possible. */
@Command(
    name = "modbus",
    mixinStandardHelpOptions = true,
    description = "Tools for Modbus TCP devices.",
    subcommands = ModbusCommand.Scan.class)
final class ModbusCommand {

  /** Reads a range of one table and prints each address in the ways it may be meant. */
  @Command(
      name = "scan",
      mixinStandardHelpOptions = true,
      description = {
        "Read a range of a Modbus device's coils, discrete inputs or registers and print what they",
        "hold: each register as uint16, int16 and hex, and each register with the next as float32",
        "and uint32 in both word orders, to find values a device's manual does not map.",
        "Only reads (function codes 1 to 4); never writes.",
        "Exit codes: 0 printed, 1 device not reachable, 2 bad options."
      })
  static final class Scan implements Callable<Integer> {
    @Option(
        names = "--endpoint",
        required = true,
        description = "tcp://host:port (port 502 when absent).")
    String endpoint;

    @Option(names = "--unit", defaultValue = "1", description = "Unit id, 0 to 255 (default 1).")
    int unit;

    @Option(
        names = "--table",
        defaultValue = "holding",
        description = "coil, discrete, holding or input (default holding).")
    String table;

    @Option(names = "--from", defaultValue = "0", description = "First address, zero-based.")
    int from;

    @Option(names = "--count", defaultValue = "20", description = "Addresses, 1 to 2000.")
    int count;

    @Option(
        names = "--timeout-ms",
        defaultValue = "2000",
        description = "Per request (default 2000).")
    int timeoutMs;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      ModbusEndpoint at;
      ModbusTable t;
      try {
        at = ModbusEndpoint.parse("--endpoint", endpoint);
        t = tableOf(table);
        if (count < 1 || count > 2000 || from < 0 || from + count - 1 > 65535) {
          throw new InvalidFieldException(
              "--count", "expected 1 to 2000 addresses within 0 to 65535 from --from");
        }
        if (unit < 0 || unit > 255 || timeoutMs < 10) {
          throw new InvalidFieldException(
              "--unit", "expected a unit 0 to 255, timeout 10 ms or more");
        }
      } catch (InvalidFieldException e) {
        err.println("error: " + e.getMessage());
        return EdgeAgentCommand.BAD_CONFIG;
      }
      Duration timeout = Duration.ofMillis(timeoutMs);
      NettyTcpClientTransport transport =
          NettyTcpClientTransport.create(
              cfg -> {
                cfg.hostname = at.host();
                cfg.port = at.port();
                cfg.connectTimeout = timeout;
              });
      ModbusTcpClient client =
          ModbusTcpClient.create(transport, cfg -> cfg.requestTimeout = timeout);
      try {
        client.connect();
      } catch (ModbusExecutionException e) {
        err.println("error: cannot connect to " + endpoint + ": " + e.getMessage());
        return 1;
      }
      try {
        out.println(t.bits() ? "address  value" : REGISTER_HEADER);
        int step = t.bits() ? t.maxPerRequest() : t.maxPerRequest() - 1;
        for (int start = from; start < from + count; start += step) {
          int n = Math.min(step, from + count - start);
          // One register past the block, where there is one, so its last pair prints whole.
          int extra = !t.bits() && start + n <= 65535 ? 1 : 0;
          byte[] data;
          try {
            data = read(client, unit, t, start, n + extra);
          } catch (ModbusResponseException e) {
            extra = 0;
            data = null;
          }
          if (data != null) {
            print(out, t, start, n, start, data, n + extra);
            continue;
          }
          // Some address in the block is not mapped: find which, one by one.
          for (int a = start; a < start + n; a++) {
            try {
              print(out, t, a, 1, a, read(client, unit, t, a, 1), 1);
            } catch (ModbusResponseException refused) {
              out.printf("%7d  refused (exception code %d)%n", a, refused.getExceptionCode());
            }
          }
        }
        out.flush();
        return 0;
      } catch (ModbusExecutionException | ModbusTimeoutException e) {
        err.println("error: " + endpoint + " unit " + unit + ": " + e.getMessage());
        return 1;
      } finally {
        try {
          client.disconnect();
        } catch (ModbusExecutionException e) {
          // Leaving anyway.
        }
      }
    }

    private static ModbusTable tableOf(String name) {
      try {
        return ModbusTable.valueOf(name.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new InvalidFieldException(
            "--table", "expected coil, discrete, holding or input, got '" + name + "'");
      }
    }
  }

  static final String REGISTER_HEADER =
      String.format(
          "%7s  %6s  %6s  %6s  %14s  %14s  %10s  %10s",
          "address",
          "hex",
          "uint16",
          "int16",
          "float32 ABCD",
          "float32 CDAB",
          "uint32 ABCD",
          "uint32 CDAB");

  private static byte[] read(ModbusTcpClient client, int unit, ModbusTable t, int start, int n)
      throws ModbusExecutionException, ModbusResponseException, ModbusTimeoutException {
    return switch (t) {
      case COIL -> client.readCoils(unit, new ReadCoilsRequest(start, n)).coils();
      case DISCRETE ->
          client.readDiscreteInputs(unit, new ReadDiscreteInputsRequest(start, n)).inputs();
      case HOLDING ->
          client.readHoldingRegisters(unit, new ReadHoldingRegistersRequest(start, n)).registers();
      case INPUT ->
          client.readInputRegisters(unit, new ReadInputRegistersRequest(start, n)).registers();
    };
  }

  /**
   * Prints {@code n} addresses from {@code first} of a response that began at {@code start} and
   * holds {@code held} addresses.
   */
  private static void print(
      PrintWriter out, ModbusTable t, int first, int n, int start, byte[] data, int held) {
    for (int a = first; a < first + n; a++) {
      if (t.bits()) {
        out.printf("%7d  %d%n", a, (int) ModbusPoint.of(t, a, null).decode(data, start));
        continue;
      }
      int word = (int) ModbusPoint.of(t, a, ModbusType.UINT16).decode(data, start);
      StringBuilder line =
          new StringBuilder(String.format("%7d  0x%04X  %6d  %6d", a, word, word, (short) word));
      if (a + 1 < start + held) {
        line.append(
            String.format(
                "  %14s  %14s  %10d  %10d",
                number(pair(t, a, ModbusType.FLOAT32, RegisterOrder.ABCD).decode(data, start)),
                number(pair(t, a, ModbusType.FLOAT32, RegisterOrder.CDAB).decode(data, start)),
                (long) pair(t, a, ModbusType.UINT32, RegisterOrder.ABCD).decode(data, start),
                (long) pair(t, a, ModbusType.UINT32, RegisterOrder.CDAB).decode(data, start)));
      }
      out.println(line);
    }
  }

  private static ModbusPoint pair(ModbusTable t, int address, ModbusType type, RegisterOrder o) {
    return new ModbusPoint(t, address, type, o, null, null, null);
  }

  private static String number(double v) {
    return Double.isFinite(v) && Math.abs(v) < 1e9 && Math.abs(v) > 1e-6 || v == 0
        ? String.format(Locale.ROOT, "%.6g", v)
        : String.format(Locale.ROOT, "%.3e", v);
  }
}
