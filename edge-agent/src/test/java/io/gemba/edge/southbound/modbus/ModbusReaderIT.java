package io.gemba.edge.southbound.modbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.gemba.edge.metrics.EdgeMetrics;
import io.gemba.model.asset.MachineState;
import io.gemba.model.config.YamlConfigLoader;
import io.gemba.model.envelope.Counter;
import io.gemba.model.envelope.CounterReading;
import io.gemba.model.envelope.MachineRef;
import io.gemba.model.envelope.Quality;
import io.gemba.model.envelope.SignalValue;
import io.gemba.model.envelope.StateChange;
import io.gemba.services.FreePorts;
import io.gemba.sim.modbus.ModbusDevices;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Modbus reader against a real Modbus TCP server (the simulators' {@link ModbusDevices}): every
 * table and data type, both word orders, scale and offset, a unit id other than 1, the device's
 * clock, state codes with reasons, a 16-bit counter that wraps, and devices that do not answer. The
 * values written are encoded here with {@link ByteBuffer}, not with the reader's decoder.
 */
class ModbusReaderIT {

  private static final MachineRef MACHINE = new MachineRef("zj", "moulding-1", "imm-01");
  private static final long T0 = 1_796_688_000_123L;

  private static ModbusSource source(String yaml) {
    return new YamlConfigLoader().parse(Path.of("modbus.yaml"), yaml, ModbusSource.class);
  }

  private static byte[] u16(int v) {
    return ByteBuffer.allocate(2).putShort((short) v).array();
  }

  private static byte[] u64(long v) {
    return ByteBuffer.allocate(8).putLong(v).array();
  }

  /** {@code big}, a big-endian value, with its registers in reverse order (CDAB). */
  private static byte[] wordsReversed(byte[] big) {
    byte[] out = new byte[big.length];
    for (int w = 0; w < big.length / 2; w++) {
      out[2 * w] = big[big.length - 2 * w - 2];
      out[2 * w + 1] = big[big.length - 2 * w - 1];
    }
    return out;
  }

  private static byte[] reversed(byte[] big) {
    byte[] out = new byte[big.length];
    for (int i = 0; i < big.length; i++) {
      out[i] = big[big.length - 1 - i];
    }
    return out;
  }

  private static byte[] bytesSwapped(byte[] big) {
    byte[] out = new byte[big.length];
    for (int i = 0; i < big.length; i += 2) {
      out[i] = big[i + 1];
      out[i + 1] = big[i];
    }
    return out;
  }

  @Test
  void everyTableAndType_readAsTheDeviceWroteThem() {
    int port = FreePorts.next();
    ModbusSource source =
        source(
            """
            endpoint: tcp://127.0.0.1:%d
            unitId: 3
            timeoutMs: 500
            intervalMs: 100
            groups: { fast: 50 }
            clock: { table: holding, address: 4, type: uint64 }
            signals:
              - { name: melt_temperature, table: input, address: 0, type: float32, group: fast }
              - { name: mains_voltage, table: input, address: 2, type: float32, order: CDAB }
              - { name: mould_temperature, table: input, address: 4, type: int16, scale: 0.1 }
              - { name: hydraulic_pressure, table: input, address: 5, type: uint16 }
              - { name: screw_position, table: input, address: 6, type: int32, order: BADC }
              - { name: energy_wh, table: input, address: 8, type: uint32, order: DCBA }
              - { name: motor_hours, table: input, address: 10, type: int64 }
              - { name: shot_weight, table: input, address: 14, type: float64, order: CDAB }
              - { name: oil_temperature, table: input, address: 18, scale: 0.1, offset: -10 }
              - { name: bad_float, table: input, address: 20, type: float32 }
              - { name: heater_on, table: holding, address: 20, bit: 2 }
              - { name: pump_on, table: coil, address: 5 }
              - { name: door_open, table: discrete, address: 7 }
            state:
              table: holding
              address: 0
              map: { 1: producing, 2: idle, 3: down }
              reason: { table: holding, address: 1 }
              reasons: { 2: jam, 7: mould change }
              since: { table: holding, address: 8, type: uint64 }
            counters:
              total: { table: holding, address: 2 }
              reject: { table: holding, address: 3 }
              since: { table: holding, address: 12, type: uint64 }
            """
                .formatted(port));
    Readings readings = new Readings();
    try (ModbusDevices devices = ModbusDevices.start("127.0.0.1", port)) {
      devices.unit(1).write(w -> w.holding(0, u16(3))); // another unit: never read here
      ModbusDevices.Unit device = devices.unit(3);
      device.write(
          w ->
              w.holding(0, u16(1))
                  .holding(1, u16(0))
                  .holding(2, u16(65534))
                  .holding(3, u16(0))
                  .holding(4, u64(T0))
                  .holding(8, u64(T0 - 5_000))
                  .holding(12, u64(T0 - 1_000))
                  .holding(20, u16(0b0100))
                  .input(0, ByteBuffer.allocate(4).putFloat(21.5f).array())
                  .input(2, wordsReversed(ByteBuffer.allocate(4).putFloat(230.25f).array()))
                  .input(4, u16(-1234))
                  .input(5, u16(65000))
                  .input(6, bytesSwapped(ByteBuffer.allocate(4).putInt(-100_000).array()))
                  .input(8, reversed(ByteBuffer.allocate(4).putInt((int) 3_000_000_000L).array()))
                  .input(10, u64(-5_000_000_000_000L))
                  .input(14, wordsReversed(ByteBuffer.allocate(8).putDouble(12345.678).array()))
                  .input(18, u16(250))
                  .input(20, ByteBuffer.allocate(4).putInt(0x7FC0_0000).array())
                  .coil(5, true)
                  .discrete(7, true));
      EdgeMetrics metrics = new EdgeMetrics("gw-test");
      try (ModbusMachineReader reader =
          new ModbusMachineReader(MACHINE, source, readings, metrics)) {
        reader.start();
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> readings.last("door_open").isPresent() && readings.counters().size() >= 2);

        assertSignal(readings, "melt_temperature", 21.5);
        assertSignal(readings, "mains_voltage", 230.25);
        assertSignal(readings, "mould_temperature", -123.4);
        assertSignal(readings, "hydraulic_pressure", 65000);
        assertSignal(readings, "screw_position", -100_000);
        assertSignal(readings, "energy_wh", 3_000_000_000.0);
        assertSignal(readings, "motor_hours", -5_000_000_000_000.0);
        assertSignal(readings, "shot_weight", 12345.678);
        assertSignal(readings, "oil_temperature", 15.0);
        assertSignal(readings, "heater_on", 1);
        assertSignal(readings, "pump_on", 1);
        assertSignal(readings, "door_open", 1);
        assertThat(readings.signals("bad_float"))
            .as("a NaN register is sent once as a bad value")
            .hasSize(1)
            .allSatisfy(s -> assertThat(s.quality()).isEqualTo(Quality.BAD));
        assertThat(reader.decodeFailures()).isPositive();
        assertThat(readings.signals("melt_temperature"))
            .as("signals are sent when they change, and these do not")
            .hasSize(1);

        assertThat(readings.states())
            .containsExactly(
                new StateChange(T0 - 5_000, MachineState.PRODUCING, Quality.GOOD, null));
        assertThat(readings.counters())
            .containsExactlyInAnyOrder(
                new CounterReading(Counter.TOTAL, T0 - 1_000, 65534, Quality.GOOD, 65536L),
                new CounterReading(Counter.REJECT, T0 - 1_000, 0, Quality.GOOD, 65536L));

        // Three shots, one rejected: the 16-bit counter wraps; then a jam stops the machine.
        device.write(
            w ->
                w.holding(2, u16(1))
                    .holding(3, u16(1))
                    .holding(12, u64(T0 + 2_000))
                    .holding(0, u16(3))
                    .holding(1, u16(2))
                    .holding(8, u64(T0 + 2_500))
                    .holding(4, u64(T0 + 3_000))
                    .input(0, ByteBuffer.allocate(4).putFloat(22.0f).array()));
        await().atMost(Duration.ofSeconds(10)).until(() -> readings.states().size() >= 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> readings.counters().size() >= 4);
        assertThat(readings.states().get(1))
            .isEqualTo(new StateChange(T0 + 2_500, MachineState.DOWN, Quality.GOOD, "jam"));
        assertThat(readings.counters().subList(2, 4))
            .containsExactlyInAnyOrder(
                new CounterReading(Counter.TOTAL, T0 + 2_000, 1, Quality.GOOD, 65536L),
                new CounterReading(Counter.REJECT, T0 + 2_000, 1, Quality.GOOD, 65536L));
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> readings.signals("melt_temperature").size() == 2);
        assertThat(readings.last("melt_temperature").orElseThrow().ts())
            .as("dated by the device's clock register")
            .isEqualTo(T0 + 3_000);

        // A code the table does not name is sent as its number.
        device.write(w -> w.holding(1, u16(9)));
        await().atMost(Duration.ofSeconds(10)).until(() -> readings.states().size() >= 3);
        assertThat(readings.states().get(2).reason()).isEqualTo("9");
        assertThat(reader.isConnected()).isTrue();
      }
    }
  }

  /** State from lamp bits: the first bit set, in the order listed, names the state. */
  @Test
  void stateFromBits_firstSetBitWins() {
    int port = FreePorts.next();
    ModbusSource source =
        source(
            """
            endpoint: tcp://127.0.0.1:%d
            intervalMs: 50
            state:
              bits:
                - { table: discrete, address: 2, state: down }
                - { table: holding, address: 9, bit: 1, state: setup }
                - { table: discrete, address: 0, state: producing }
              otherwise: idle
            """
                .formatted(port));
    Readings readings = new Readings();
    try (ModbusDevices devices = ModbusDevices.start("127.0.0.1", port);
        ModbusMachineReader reader =
            new ModbusMachineReader(MACHINE, source, readings, new EdgeMetrics("gw-test"))) {
      ModbusDevices.Unit device = devices.unit(1);
      reader.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> readings.states().size() == 1);
      device.write(w -> w.discrete(0, true));
      await().atMost(Duration.ofSeconds(10)).until(() -> readings.states().size() == 2);
      // Producing and setup at once: setup is listed first.
      device.write(w -> w.holding(9, u16(0b10)));
      await().atMost(Duration.ofSeconds(10)).until(() -> readings.states().size() == 3);
      device.write(w -> w.discrete(2, true));
      await().atMost(Duration.ofSeconds(10)).until(() -> readings.states().size() == 4);
      assertThat(readings.states())
          .extracting(StateChange::state)
          .containsExactly(
              MachineState.IDLE, MachineState.PRODUCING, MachineState.SETUP, MachineState.DOWN);
    }
  }

  private static void assertSignal(Readings readings, String name, double expected) {
    SignalValue v = readings.last(name).orElseThrow(() -> new AssertionError("no " + name));
    assertThat(v.value()).as(name).isCloseTo(expected, within(1e-9));
    assertThat(v.quality()).as(name).isEqualTo(Quality.GOOD);
    assertThat(v.ts()).as(name + " dated by the device clock").isEqualTo(T0);
  }

  /**
   * A device that accepts the connection and never answers costs its own requests their timeout:
   * the other device's polls keep their interval. The live device's register changes faster than it
   * is polled, so each poll sends a value dated by the poll's start.
   */
  @Test
  void aDeviceThatDoesNotAnswer_doesNotDelayAnother() throws Exception {
    int livePort = FreePorts.next();
    AtomicBoolean running = new AtomicBoolean(true);
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        ModbusDevices live = ModbusDevices.start("127.0.0.1", livePort)) {
      Thread swallow = swallowEverything(silent, running);
      Thread counter =
          new Thread(
              () -> {
                int n = 0;
                while (running.get()) {
                  int v = n++;
                  live.unit(1).write(w -> w.holding(0, u16(v)));
                  sleep(5);
                }
              });
      counter.start();
      EdgeMetrics metrics = new EdgeMetrics("gw-test");
      Readings deadReadings = new Readings();
      Readings liveReadings = new Readings();
      String yaml =
          """
          endpoint: tcp://127.0.0.1:%d
          timeoutMs: 1000
          intervalMs: 100
          signals: [ { name: ticks, table: holding, address: 0 } ]
          """;
      try (ModbusMachineReader dead =
              new ModbusMachineReader(
                  new MachineRef("zj", "l1", "dead"),
                  source(yaml.formatted(silent.getLocalPort())),
                  deadReadings,
                  metrics);
          ModbusMachineReader alive =
              new ModbusMachineReader(
                  new MachineRef("zj", "l1", "alive"),
                  source(yaml.formatted(livePort)),
                  liveReadings,
                  metrics)) {
        dead.start();
        alive.start();
        Thread.sleep(6_000);
        List<Long> ts = liveReadings.signals("ticks").stream().map(SignalValue::ts).toList();
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < ts.size(); i++) {
          if (ts.get(i) - ts.get(0) > 1_000) { // after the first second: connected and steady
            gaps.add(ts.get(i) - ts.get(i - 1));
          }
        }
        assertThat(gaps).as("live polls after the first second").hasSizeGreaterThan(30);
        assertThat(gaps.stream().mapToLong(Long::longValue).max().orElseThrow())
            .as("longest gap between the live device's polls, ms, while the other never answers")
            .isLessThanOrEqualTo(200);
        assertThat(deadReadings.signals("ticks")).isEmpty();
        assertThat(failures(metrics, "dead", "timeout"))
            .as("timeouts of the silent device")
            .isPositive();
        assertThat(failures(metrics, "alive", "timeout")).isZero();
        assertThat(dead.isConnected()).isFalse();
        assertThat(alive.isConnected()).isTrue();
      } finally {
        running.set(false);
        counter.join();
        swallow.interrupt();
      }
    }
  }

  /** A device that is not there at first is read once it answers. */
  @Test
  void aDeviceThatComesLater_isReadOnceItAnswers() throws Exception {
    int port = FreePorts.next();
    EdgeMetrics metrics = new EdgeMetrics("gw-test");
    Readings readings = new Readings();
    ModbusSource source =
        source(
            """
            endpoint: tcp://127.0.0.1:%d
            timeoutMs: 300
            intervalMs: 100
            signals: [ { name: level, table: input, address: 3 } ]
            """
                .formatted(port));
    try (ModbusMachineReader reader = new ModbusMachineReader(MACHINE, source, readings, metrics)) {
      reader.start();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  failures(metrics, MACHINE.id(), "timeout")
                          + failures(metrics, MACHINE.id(), "connection")
                      > 0);
      assertThat(reader.isConnected()).isFalse();
      try (ModbusDevices devices = ModbusDevices.start("127.0.0.1", port)) {
        devices.unit(1).write(w -> w.input(3, u16(42)));
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> readings.last("level").map(SignalValue::value).orElse(0.0) == 42.0);
        await().atMost(Duration.ofSeconds(5)).until(reader::isConnected);
      }
    }
  }

  private static long failures(EdgeMetrics metrics, String machine, String reason) {
    Matcher m =
        Pattern.compile(
                "gemba_edge_modbus_request_failures_total\\{[^}]*machine=\""
                    + machine
                    + "\"[^}]*reason=\""
                    + reason
                    + "\"[^}]*} ([0-9.E]+)")
            .matcher(metrics.scrape());
    return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
  }

  /** Accepts every connection and reads what comes, answering nothing. */
  private static Thread swallowEverything(ServerSocket server, AtomicBoolean running) {
    Thread t =
        new Thread(
            () -> {
              while (running.get()) {
                try {
                  Socket s = server.accept();
                  Thread reader =
                      new Thread(
                          () -> {
                            try (InputStream in = s.getInputStream()) {
                              in.transferTo(OutputStream.nullOutputStream());
                            } catch (IOException e) {
                              // closed by the test
                            }
                          });
                  reader.setDaemon(true);
                  reader.start();
                } catch (IOException e) {
                  return;
                }
              }
            });
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
