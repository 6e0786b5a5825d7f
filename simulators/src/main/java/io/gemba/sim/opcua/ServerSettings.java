package io.gemba.sim.opcua;

/**
 * How a simulated OPC UA server listens and behaves.
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
 */
public record ServerSettings(
    String bindHost,
    String advertisedHost,
    int port,
    ServerSecurity security,
    int maxMonitoredItemsPerSession,
    boolean subscriptions) {

  /** An unsecured server bound to and advertising {@code host}. */
  public static ServerSettings plain(String host, int port) {
    return new ServerSettings(host, host, port, null, 0, true);
  }

  public ServerSettings withAdvertisedHost(String host) {
    return new ServerSettings(
        bindHost, host, port, security, maxMonitoredItemsPerSession, subscriptions);
  }

  public ServerSettings withSecurity(ServerSecurity serverSecurity) {
    return new ServerSettings(
        bindHost, advertisedHost, port, serverSecurity, maxMonitoredItemsPerSession, subscriptions);
  }

  public ServerSettings withMaxMonitoredItemsPerSession(int max) {
    return new ServerSettings(bindHost, advertisedHost, port, security, max, subscriptions);
  }

  public ServerSettings withoutSubscriptions() {
    return new ServerSettings(
        bindHost, advertisedHost, port, security, maxMonitoredItemsPerSession, false);
  }
}
