package io.gemba.sim.modbus;

import com.digitalpetri.modbus.server.ModbusTcpServer;
import com.digitalpetri.modbus.server.ProcessImage;
import com.digitalpetri.modbus.server.ReadOnlyModbusServices;
import com.digitalpetri.modbus.tcp.server.NettyTcpServerTransport;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * Simulated Modbus TCP devices behind one port, as behind a serial-to-TCP gateway: each unit id has
 * its own registers and bits. Read-only from the network; the simulation writes the values, one
 * transaction at a time, so that a request never sees half of an update.
 */
public final class ModbusDevices implements AutoCloseable {

  private final Map<Integer, ProcessImage> units = new ConcurrentHashMap<>();
  private final ModbusTcpServer server;
  private final int port;

  private ModbusDevices(String host, int port) {
    this.port = port;
    NettyTcpServerTransport transport =
        NettyTcpServerTransport.create(
            cfg -> {
              cfg.bindAddress = host;
              cfg.port = port;
            });
    this.server =
        ModbusTcpServer.create(
            transport,
            new ReadOnlyModbusServices() {
              @Override
              protected Optional<ProcessImage> getProcessImage(int unitId) {
                return Optional.ofNullable(units.get(unitId));
              }
            });
  }

  /** Starts serving on {@code host:port}; units are added with {@link #unit}. */
  public static ModbusDevices start(String host, int port) {
    ModbusDevices devices = new ModbusDevices(host, port);
    try {
      devices.server.start();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot serve Modbus on " + host + ":" + port, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the Modbus server", e);
    }
    return devices;
  }

  public int port() {
    return port;
  }

  /** The values of unit {@code unitId}, created empty (all zero) on first use. */
  public Unit unit(int unitId) {
    return new Unit(units.computeIfAbsent(unitId, id -> new ProcessImage()));
  }

  /** One unit's tables, written in transactions. */
  public static final class Unit {
    private final ProcessImage image;

    private Unit(ProcessImage image) {
      this.image = image;
    }

    /** Writes in one transaction: a request sees all of it or none. */
    public void write(Consumer<Writer> changes) {
      image.with(tx -> changes.accept(new Writer(tx)));
    }
  }

  /** Writes values into one unit's tables. */
  public static final class Writer {
    private final ProcessImage.Transaction tx;

    private Writer(ProcessImage.Transaction tx) {
      this.tx = tx;
    }

    /** Holding registers from {@code address}, two bytes each, high byte first. */
    public Writer holding(int address, byte[] bytes) {
      tx.writeHoldingRegisters(m -> put(m, address, bytes));
      return this;
    }

    /** Input registers from {@code address}, two bytes each, high byte first. */
    public Writer input(int address, byte[] bytes) {
      tx.writeInputRegisters(m -> put(m, address, bytes));
      return this;
    }

    public Writer coil(int address, boolean value) {
      tx.writeCoils(m -> m.put(address, value));
      return this;
    }

    public Writer discrete(int address, boolean value) {
      tx.writeDiscreteInputs(m -> m.put(address, value));
      return this;
    }

    private static void put(Map<Integer, byte[]> registers, int address, byte[] bytes) {
      if (bytes.length % 2 != 0) {
        throw new IllegalArgumentException("registers are two bytes each, got " + bytes.length);
      }
      for (int i = 0; i < bytes.length / 2; i++) {
        registers.put(address + i, new byte[] {bytes[2 * i], bytes[2 * i + 1]});
      }
    }
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (ExecutionException e) {
      // Stopping a server whose port is gone already: nothing left to release.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
