package io.gemba.services;

import io.gemba.model.asset.Park;
import io.gemba.services.plant.BrokerAccounts;
import io.gemba.services.plant.InfluxAccounts;
import io.gemba.services.plant.PlantSecrets;
import java.nio.file.Path;
import java.util.List;

/**
 * The broker and the database that Gemba needs on one machine: Debian's mosquitto and influxd on
 * free loopback ports, with their data under one directory. The demo and the tests start them the
 * same way.
 */
public final class LocalServices implements AutoCloseable {

  /** The database the KPI job writes and the API reads. */
  public static final String DATABASE = "gemba";

  /** The database of what people do (acknowledgements), which the API writes. */
  public static final String ACTIONS_DATABASE = "gemba_actions";

  private MosquittoBroker broker;
  private final InfluxDatabase influx;
  private final PlantSecrets secrets;

  private LocalServices(MosquittoBroker broker, InfluxDatabase influx, PlantSecrets secrets) {
    this.broker = broker;
    this.influx = influx;
    this.secrets = secrets;
  }

  /**
   * Starts both services open (no TLS, anonymous clients, no authentication), with their data under
   * {@code dataDir}/mosquitto and /influxdb: for tests of everything but security.
   */
  public static LocalServices start(Path dataDir) {
    MosquittoBroker broker = MosquittoBroker.start(dataDir.resolve("mosquitto"));
    try {
      InfluxDatabase influx = InfluxDatabase.start(dataDir.resolve("influxdb"));
      influx.createDatabase(DATABASE);
      influx.createDatabase(ACTIONS_DATABASE);
      return new LocalServices(broker, influx, null);
    } catch (RuntimeException e) {
      broker.close();
      throw e;
    }
  }

  /**
   * Starts both services secured as a plant's, on loopback: the plant broker as shipped (TLS, the
   * park's users and ACLs, client ids tied to user names) and InfluxDB with HTTPS, authentication
   * and least-privilege users; certificates and passwords from {@code secrets}.
   *
   * @param simulatedStations whether the demo's simulated line stations publish to the broker
   */
  public static LocalServices startSecured(
      Path dataDir, PlantSecrets secrets, Park park, boolean simulatedStations) {
    MosquittoBroker broker =
        MosquittoBroker.startPlant(
            dataDir.resolve("mosquitto"), secrets, BrokerAccounts.of(park, simulatedStations));
    try {
      InfluxDatabase influx =
          InfluxDatabase.startSecured(
              dataDir.resolve("influxdb"),
              secrets,
              InfluxAccounts.standard(DATABASE, ACTIONS_DATABASE),
              List.of(DATABASE, ACTIONS_DATABASE));
      return new LocalServices(broker, influx, secrets);
    } catch (RuntimeException e) {
      broker.close();
      throw e;
    }
  }

  /** Whether the services run secured ({@link #startSecured}). */
  public boolean isSecured() {
    return secrets != null;
  }

  /** The secrets of secured services; null for open ones. */
  public PlantSecrets secrets() {
    return secrets;
  }

  /** Stops the broker and starts it again on the same ports, its files written anew. */
  public void restartBroker() {
    broker = broker.restart();
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
