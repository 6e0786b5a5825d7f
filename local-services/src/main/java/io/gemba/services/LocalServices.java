package io.gemba.services;

import java.nio.file.Path;

/**
 * The broker and the database that Gemba needs on one machine: Debian's mosquitto and influxd on
 * free loopback ports, with their data under one directory. The demo and the tests start them the
 * same way.
 */
public final class LocalServices implements AutoCloseable {

  /** The database Gemba writes to and reads from. */
  public static final String DATABASE = "gemba";

  private final MosquittoBroker broker;
  private final InfluxDatabase influx;

  private LocalServices(MosquittoBroker broker, InfluxDatabase influx) {
    this.broker = broker;
    this.influx = influx;
  }

  /** Starts both services with their data under {@code dataDir}/mosquitto and /influxdb. */
  public static LocalServices start(Path dataDir) {
    MosquittoBroker broker = MosquittoBroker.start(dataDir.resolve("mosquitto"));
    try {
      InfluxDatabase influx = InfluxDatabase.start(dataDir.resolve("influxdb"));
      influx.createDatabase(DATABASE);
      return new LocalServices(broker, influx);
    } catch (RuntimeException e) {
      broker.close();
      throw e;
    }
  }

  public MosquittoBroker broker() {
    return broker;
  }

  public InfluxDatabase influx() {
    return influx;
  }

  @Override
  public void close() {
    try {
      influx.close();
    } finally {
      broker.close();
    }
  }
}
