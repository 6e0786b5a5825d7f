package io.gemba.sim.opcua;

import java.time.Duration;

/**
 * How the simulated park's servers listen and behave: the OPC UA server of its CNC machines and
 * robots, and the Modbus TCP port of its moulding machines.
 *
 * @param bindHost the address to bind
 * @param advertisedHost the host name in the server's endpoint descriptions, as a PLC behind NAT or
 *     with its own host name advertises
 * @param port the TCP port
 * @param security null for policy None with anonymous access only
 * @param maxMonitoredItemsPerSession above this, the server refuses monitored items (0: Milo's
 *     default), as small controllers do
 * @param subscriptions false: the server refuses every subscription, as some gateways and older
 *     controllers do
 * @param modbusPort the port the park's Modbus machines are served on, on {@code bindHost}; 0
 *     leaves them out
 */
public record ServerSettings(
    String bindHost,
    String advertisedHost,
    int port,
    ServerSecurity security,
    int maxMonitoredItemsPerSession,
    boolean subscriptions,
    int modbusPort,
    Duration history) {

  /** An unsecured server bound to and advertising {@code host}. */
  public static ServerSettings plain(String host, int port) {
    return new ServerSettings(host, host, port, null, 0, true, 0, Duration.ZERO);
  }

  public ServerSettings withAdvertisedHost(String host) {
    return new ServerSettings(
        bindHost,
        host,
        port,
        security,
        maxMonitoredItemsPerSession,
        subscriptions,
        modbusPort,
        history);
  }

  public ServerSettings withSecurity(ServerSecurity serverSecurity) {
    return new ServerSettings(
        bindHost,
        advertisedHost,
        port,
        serverSecurity,
        maxMonitoredItemsPerSession,
        subscriptions,
        modbusPort,
        history);
  }

  public ServerSettings withMaxMonitoredItemsPerSession(int max) {
    return new ServerSettings(
        bindHost, advertisedHost, port, security, max, subscriptions, modbusPort, history);
  }

  /** Serves the park's Modbus machines on {@code port}. */
  public ServerSettings withModbusPort(int port) {
    return new ServerSettings(
        bindHost,
        advertisedHost,
        this.port,
        security,
        maxMonitoredItemsPerSession,
        subscriptions,
        port,
        history);
  }

  /** Keeps {@code window} of every variable's past (simulated time) for HistoryRead. */
  public ServerSettings withHistory(Duration window) {
    return new ServerSettings(
        bindHost,
        advertisedHost,
        port,
        security,
        maxMonitoredItemsPerSession,
        subscriptions,
        modbusPort,
        window);
  }

  public ServerSettings withoutSubscriptions() {
    return new ServerSettings(
        bindHost,
        advertisedHost,
        port,
        security,
        maxMonitoredItemsPerSession,
        false,
        modbusPort,
        history);
  }
}
