package io.gemba.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gemba.edge.config.GatewayConfig;
import io.gemba.edge.southbound.opcua.ClientPki;
import io.gemba.model.config.YamlConfigLoader;
import io.gemba.model.envelope.Envelope;
import io.gemba.services.FreePorts;
import io.gemba.services.MosquittoBroker;
import io.gemba.sim.ParkSimulation;
import io.gemba.sim.SimClock;
import io.gemba.sim.opcua.ServerSecurity;
import io.gemba.sim.opcua.ServerSettings;
import io.gemba.sim.opcua.SimulatorServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secured OPC UA against a Milo server that offers only secured endpoints and refuses anonymous
 * users: mutual certificate trust managed through the PKI folders, every policy and mode, and both
 * kinds of user token.
 */
class OpcUaSecurityIT {

  private static final Map<String, String> USERS = Map.of("operator", "s3cret-Pa55");

  @TempDir Path dir;

  @Test
  void untrustedServerCertificate_isRejectedAndWorksOnceTrusted_withoutRestart() throws Exception {
    int opcPort = FreePorts.next();
    Path serverPki = dir.resolve("server-pki");
    Path password = secret("operator.pass", "s3cret-Pa55\n");
    String machine =
        """
          - id: cnc-07
            line: smt-2
            opcua:
              endpoint: opc.tcp://127.0.0.1:%d/gemba-sim
              security: { user: { username: operator, passwordFile: %s } }
              signals:
                - { name: spindle_speed, node: "ns=2;s=cnc-07/Spindle.Speed", samplingMs: 100 }
        """
            .formatted(opcPort, password);
    try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mosquitto"));
        Fixtures.Receiver receiver = new Fixtures.Receiver(broker.url());
        ParkSimulation simulation = secured(opcPort, serverPki);
        EdgeAgent agent = EdgeAgent.start(gateway(broker.url(), machine))) {
      ClientPki pki = agent.pki();
      // The agent made its certificate on first start; the server has not seen it before.
      assertThat(pki.certificateFile()).exists();
      await().atMost(Duration.ofSeconds(30)).until(() -> files(serverPki.resolve("rejected")) > 0);
      Files.copy(pki.certificateFile(), serverPki.resolve("trusted/certs/gemba-edge-agent.der"));

      // Now the server accepts the agent, and the agent refuses the server it does not know.
      await().atMost(Duration.ofSeconds(30)).until(() -> files(pki.rejectedDir()) > 0);
      assertThat(agent.allMachinesConnected()).isFalse();
      assertThat(receiver.readings()).isZero();
      Path rejected;
      try (Stream<Path> list = Files.list(pki.rejectedDir())) {
        rejected = list.findFirst().orElseThrow();
      }
      assertThat(Files.readAllBytes(rejected))
          .isEqualTo(Files.readAllBytes(SimulatorServer.certificateFile(serverPki)));

      // The operator moves it to trusted; the next attempt connects, no restart.
      Files.move(rejected, pki.trustedDir().resolve(rejected.getFileName()));
      await().atMost(Duration.ofSeconds(30)).until(() -> receiver.readings() > 10);
      assertThat(agent.allMachinesConnected()).isTrue();
      assertThat(simulation.server().sessionCount()).isEqualTo(1);
    }
  }

  @Test
  void everyPolicyAndMode_withUserNameAndX509UserTokens() throws Exception {
    int opcPort = FreePorts.next();
    Path serverPki = dir.resolve("server-pki");
    Path agentPki = dir.resolve("pki");
    Path password = secret("operator.pass", "s3cret-Pa55\n");
    Path wrongPassword = secret("wrong.pass", "guess\n");
    KeyPair userKeys = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
    X509Certificate userCert =
        new SelfSignedCertificateBuilder(userKeys)
            .setCommonName("line-2 operator")
            .setOrganization(null)
            .setOrganizationalUnit(null)
            .setLocalityName(null)
            .setStateName(null)
            .setCountryCode(null)
            .setApplicationUri("urn:gemba:test:user")
            .build();
    Path userCertFile = dir.resolve("user.der");
    Files.write(userCertFile, userCert.getEncoded());
    Path userKeyFile =
        secret(
            "user.key.pem",
            "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(userKeys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");

    try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mosquitto"));
        Fixtures.Receiver receiver = new Fixtures.Receiver(broker.url());
        ParkSimulation simulation = secured(opcPort, serverPki)) {
      // Trust both ways before the agent starts, as a commissioning engineer would.
      try (ClientPki pki = ClientPki.open(agentPki, "urn:gemba:edge-agent:gw-zj-01", "gw-zj-01")) {
        Files.copy(pki.certificateFile(), serverPki.resolve("trusted/certs/agent.der"));
        Files.copy(
            SimulatorServer.certificateFile(serverPki), pki.trustedDir().resolve("server.der"));
      }
      Files.write(serverPki.resolve("trusted/certs/user.der"), userCert.getEncoded());

      String user = "{ username: operator, passwordFile: " + password + " }";
      String x509 =
          "{ certificateFile: " + userCertFile + ", privateKeyFile: " + userKeyFile + " }";
      StringBuilder machines = new StringBuilder();
      List<String[]> cases =
          List.of(
              new String[] {"b256-sign", "Basic256Sha256", "Sign", user},
              new String[] {"b256-enc", "Basic256Sha256", "SignAndEncrypt", x509},
              new String[] {"aes128-sign", "Aes128_Sha256_RsaOaep", "Sign", x509},
              new String[] {"aes128-enc", "Aes128_Sha256_RsaOaep", "SignAndEncrypt", user},
              new String[] {"aes256-sign", "Aes256_Sha256_RsaPss", "Sign", user},
              new String[] {"aes256-enc", "Aes256_Sha256_RsaPss", "SignAndEncrypt", x509});
      for (String[] c : cases) {
        machines.append(machine(c[0], opcPort, c[1], c[2], c[3]));
      }
      machines.append(
          machine(
              "wrong-password",
              opcPort,
              "Basic256Sha256",
              "SignAndEncrypt",
              "{ username: operator, passwordFile: " + wrongPassword + " }"));

      try (EdgeAgent agent = EdgeAgent.start(gateway(broker.url(), machines.toString()))) {
        Set<String> expected =
            cases.stream().map(c -> c[0]).collect(Collectors.toUnmodifiableSet());
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> machinesHeardFrom(receiver).containsAll(expected));
        assertThat(machinesHeardFrom(receiver)).doesNotContain("wrong-password");
        assertThat(agent.connectedMachines()).isEqualTo(expected);
      }
    }
  }

  private static String machine(
      String id, int port, String policy, String mode, String userIdentity) {
    return """
          - id: %s
            line: smt-2
            opcua:
              endpoint: opc.tcp://127.0.0.1:%d/gemba-sim
              security: { policy: %s, mode: %s, user: %s }
              signals:
                - { name: spindle_speed, node: "ns=2;s=cnc-07/Spindle.Speed", samplingMs: 100 }
        """
        .formatted(id, port, policy, mode, userIdentity);
  }

  private static Set<String> machinesHeardFrom(Fixtures.Receiver receiver) {
    return receiver.envelopesInArrivalOrder().stream()
        .filter(e -> e.size() > 0)
        .map(Envelope::machine)
        .map(m -> m.id())
        .collect(Collectors.toSet());
  }

  private GatewayConfig gateway(String broker, String machines) {
    String yaml =
        """
        gateway: { id: gw-zj-01, factory: zj-electronics }
        uplink: { broker: %s }
        buffer: { dir: %s }
        machines:
        %s"""
            .formatted(broker, dir.resolve("buffer"), machines);
    return new YamlConfigLoader().parse(Path.of("gateway.yaml"), yaml, GatewayConfig.class);
  }

  private static ParkSimulation secured(int port, Path pki) {
    return ParkSimulation.start(
        Fixtures.singleCncPark(),
        ServerSettings.plain("127.0.0.1", port)
            .withSecurity(ServerSecurity.securedOnly(pki, USERS)),
        new SimClock(System.currentTimeMillis(), 1),
        1,
        m -> {});
  }

  private Path secret(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.US_ASCII);
  }

  private static long files(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return 0;
    }
    try (Stream<Path> list = Files.list(folder)) {
      return list.filter(Files::isRegularFile).count();
    }
  }
}
