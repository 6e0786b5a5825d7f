package io.gemba.sim.opcua;

import io.gemba.model.asset.Machine;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.eclipse.milo.opcua.sdk.server.EndpointConfig;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransport;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransportConfig;

/**
 * An OPC UA server (Eclipse Milo) that exposes simulated machines. This walking-skeleton server
 * offers security policy None only; secured endpoints come with the edge agent's security work.
 */
public final class SimulatorServer implements AutoCloseable {

  private static final String PATH = "/gemba-sim";

  private final OpcUaServer server;
  private final MachineNamespace namespace;
  private final String endpointUrl;

  private SimulatorServer(OpcUaServer server, MachineNamespace namespace, String endpointUrl) {
    this.server = server;
    this.namespace = namespace;
    this.endpointUrl = endpointUrl;
  }

  /**
   * Starts a server for {@code machines} on {@code host:port}.
   *
   * @param host the address to bind and to advertise in endpoint descriptions
   */
  public static SimulatorServer start(String host, int port, List<Machine> machines) {
    return start(host, host, port, machines);
  }

  /**
   * Starts a server bound to {@code bindHost} that advertises {@code advertisedHost} in its
   * endpoint descriptions, as a PLC behind NAT or with its own host name does.
   */
  public static SimulatorServer start(
      String bindHost, String advertisedHost, int port, List<Machine> machines) {
    EndpointConfig endpoint =
        EndpointConfig.newBuilder()
            .setBindAddress(bindHost)
            .setBindPort(port)
            .setHostname(advertisedHost)
            .setPath(PATH)
            .setSecurityPolicy(SecurityPolicy.None)
            .setSecurityMode(MessageSecurityMode.None)
            .addTokenPolicies(OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS)
            .setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
            .build();
    OpcUaServerConfig config =
        OpcUaServerConfig.builder()
            .setApplicationUri("urn:gemba:simulators")
            .setProductUri("urn:gemba:simulators")
            .setApplicationName(LocalizedText.english("Gemba machine simulator"))
            .setEndpoints(Set.of(endpoint))
            .setCertificateManager(new DefaultCertificateManager(new MemoryCertificateQuarantine()))
            .build();
    OpcUaServer server =
        new OpcUaServer(
            config,
            profile -> new OpcTcpServerTransport(OpcTcpServerTransportConfig.newBuilder().build()));
    MachineNamespace namespace = new MachineNamespace(server, machines);
    namespace.startup();
    try {
      server.startup().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the OPC UA server", e);
    } catch (ExecutionException e) {
      namespace.shutdown();
      throw new IllegalStateException(
          "OPC UA server could not bind " + bindHost + ":" + port + ": " + e.getCause(),
          e.getCause());
    }
    return new SimulatorServer(server, namespace, "opc.tcp://" + bindHost + ":" + port + PATH);
  }

  public String endpointUrl() {
    return endpointUrl;
  }

  public MachineNamespace namespace() {
    return namespace;
  }

  /** Client sessions currently open on this server. */
  public int sessionCount() {
    return server.getSessionManager().getCurrentSessionCount().intValue();
  }

  /** Index of the machines' namespace in this server's namespace table. */
  public int namespaceIndex() {
    return namespace.getNamespaceIndex().intValue();
  }

  @Override
  public void close() {
    namespace.shutdown();
    try {
      server.shutdown().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw new IllegalStateException("OPC UA server did not shut down cleanly", e.getCause());
    }
  }
}
