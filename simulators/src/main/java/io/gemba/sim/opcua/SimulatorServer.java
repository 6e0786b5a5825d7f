package io.gemba.sim.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.eclipse.milo.opcua.sdk.server.EndpointConfig;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfigBuilder;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfigLimits;
import org.eclipse.milo.opcua.sdk.server.identity.AnonymousIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.CompositeValidator;
import org.eclipse.milo.opcua.sdk.server.identity.IdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.UsernameIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.X509IdentityValidator;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.UserTokenPolicy;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransport;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransportConfig;

/**
 * An OPC UA server (Eclipse Milo) that exposes simulated machines: unsecured (policy None,
 * anonymous), or secured as {@link ServerSecurity} describes.
 */
public final class SimulatorServer implements AutoCloseable {

  private static final String PATH = "/gemba-sim";
  private static final String APPLICATION_URI = "urn:gemba:simulators";
  private static final List<SecurityPolicy> SECURE_POLICIES =
      List.of(
          SecurityPolicy.Basic256Sha256,
          SecurityPolicy.Aes128_Sha256_RsaOaep,
          SecurityPolicy.Aes256_Sha256_RsaPss);

  private final OpcUaServer server;
  private final MachineNamespace namespace;
  private final String endpointUrl;
  private final ServerPki pki;

  private SimulatorServer(
      OpcUaServer server, MachineNamespace namespace, String endpointUrl, ServerPki pki) {
    this.server = server;
    this.namespace = namespace;
    this.endpointUrl = endpointUrl;
    this.pki = pki;
  }

  /** Starts a server for {@code machines} as {@code settings} say. */
  public static SimulatorServer start(ServerSettings settings, List<MachineNodes> machines) {
    String bindHost = settings.bindHost();
    String advertisedHost = settings.advertisedHost();
    int port = settings.port();
    ServerSecurity security = settings.security();
    ServerPki pki = null;
    try {
      if (security != null) {
        pki = ServerPki.open(security.pkiDir(), APPLICATION_URI, advertisedHost);
      }
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot open the simulator's PKI in " + security.pkiDir() + ": " + e, e);
    }
    EndpointConfig.Builder base =
        EndpointConfig.newBuilder()
            .setBindAddress(bindHost)
            .setBindPort(port)
            .setHostname(advertisedHost)
            .setPath(PATH)
            .setTransportProfile(TransportProfile.TCP_UASC_UABINARY);
    Set<EndpointConfig> endpoints = new LinkedHashSet<>();
    OpcUaServerConfigBuilder config =
        OpcUaServerConfig.builder()
            .setApplicationUri(APPLICATION_URI)
            .setProductUri(APPLICATION_URI)
            .setApplicationName(LocalizedText.english("Gemba machine simulator"))
            .setLimits(limits(settings));
    if (security == null) {
      endpoints.add(anonymousNone(base));
      config.setCertificateManager(
          new DefaultCertificateManager(new MemoryCertificateQuarantine()));
    } else {
      ServerPki serverPki = pki;
      base.setCertificate(pki.certificate);
      List<UserTokenPolicy> tokens = new ArrayList<>();
      List<IdentityValidator> validators = new ArrayList<>();
      if (security.allowAnonymous()) {
        tokens.add(OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS);
        validators.add(AnonymousIdentityValidator.INSTANCE);
      }
      tokens.add(OpcUaServerConfig.USER_TOKEN_POLICY_USERNAME);
      tokens.add(OpcUaServerConfig.USER_TOKEN_POLICY_X509);
      Map<String, String> users = security.users();
      validators.add(
          new UsernameIdentityValidator(
              challenge ->
                  challenge.getPassword() != null
                      && challenge.getPassword().equals(users.get(challenge.getUsername()))));
      validators.add(new X509IdentityValidator(serverPki::trusts));
      for (SecurityPolicy policy : SECURE_POLICIES) {
        for (MessageSecurityMode mode :
            List.of(MessageSecurityMode.Sign, MessageSecurityMode.SignAndEncrypt)) {
          endpoints.add(
              base.copy()
                  .setSecurityPolicy(policy)
                  .setSecurityMode(mode)
                  .addTokenPolicies(tokens.toArray(UserTokenPolicy[]::new))
                  .build());
        }
      }
      if (security.allowNone()) {
        endpoints.add(anonymousNone(base));
      }
      config
          .setCertificateManager(pki.certificateManager)
          .setIdentityValidator(new CompositeValidator(validators));
    }
    OpcUaServer server =
        new OpcUaServer(
            config.setEndpoints(endpoints).build(),
            profile -> new OpcTcpServerTransport(OpcTcpServerTransportConfig.newBuilder().build()));
    MachineNamespace namespace = new MachineNamespace(server, machines, settings.history());
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
    return new SimulatorServer(server, namespace, "opc.tcp://" + bindHost + ":" + port + PATH, pki);
  }

  private static OpcUaServerConfigLimits limits(ServerSettings settings) {
    return new OpcUaServerConfigLimits() {
      @Override
      public UInteger getMaxMonitoredItemsPerSession() {
        return settings.maxMonitoredItemsPerSession() > 0
            ? uint(settings.maxMonitoredItemsPerSession())
            : OpcUaServerConfigLimits.super.getMaxMonitoredItemsPerSession();
      }

      @Override
      public UInteger getMaxSubscriptionsPerSession() {
        return settings.subscriptions()
            ? OpcUaServerConfigLimits.super.getMaxSubscriptionsPerSession()
            : uint(0);
      }
    };
  }

  private static EndpointConfig anonymousNone(EndpointConfig.Builder base) {
    return base.copy()
        .setSecurityPolicy(SecurityPolicy.None)
        .setSecurityMode(MessageSecurityMode.None)
        .addTokenPolicies(OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS)
        .build();
  }

  /** The server's certificate file in a secured server's PKI directory. */
  public static Path certificateFile(Path pkiDir) {
    return ServerPki.certificateFile(pkiDir);
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
    if (pki != null) {
      try {
        pki.close();
      } catch (IOException e) {
        // the trust list watcher is a daemon thread; nothing is lost
      }
    }
    try {
      server.shutdown().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw new IllegalStateException("OPC UA server did not shut down cleanly", e.getCause());
    }
  }
}
