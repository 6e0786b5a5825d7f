package io.gemba.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gemba.connect.Pem;
import io.gemba.connect.TlsFiles;
import io.gemba.connect.TlsSockets;
import io.gemba.edge.config.GatewayConfig;
import io.gemba.model.config.YamlConfigLoader;
import io.gemba.services.FreePorts;
import io.gemba.services.MosquittoBroker;
import io.gemba.sim.ParkSimulation;
import io.gemba.sim.SimClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The uplink over TLS to a mosquitto that requires client certificates. */
class UplinkTlsIT {

  @TempDir Path dir;

  /** Writes a self-signed certificate for 127.0.0.1 and its key; returns the certificate file. */
  private Path selfSigned(String name) throws Exception {
    KeyPair keys = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
    Instant now = Instant.now();
    X509Certificate cert =
        new SelfSignedCertificateGenerator()
            .generateSelfSigned(
                keys,
                Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(30))),
                name,
                "Gemba test",
                null,
                null,
                null,
                null,
                "urn:gemba:test:" + name,
                List.of("localhost"),
                List.of("127.0.0.1"),
                "SHA256withRSA");
    Path certFile = dir.resolve(name + ".pem");
    Files.writeString(
        certFile,
        "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder().encodeToString(cert.getEncoded())
            + "\n-----END CERTIFICATE-----\n");
    Files.writeString(dir.resolve(name + ".key.pem"), Pem.privateKey(keys.getPrivate()));
    return certFile;
  }

  @Test
  void envelopesArriveOverTls_withAClientCertificate_andAnUnknownBrokerIsRefused()
      throws Exception {
    Path brokerCert = selfSigned("broker");
    Path clientCert = selfSigned("gateway");
    Path trustedByBroker = dir.resolve("broker-cas.pem");
    Files.writeString(trustedByBroker, Files.readString(brokerCert) + Files.readString(clientCert));
    TlsFiles tls = new TlsFiles(brokerCert, clientCert, dir.resolve("gateway.key.pem"));
    int opcPort = FreePorts.next();

    try (MosquittoBroker broker =
            MosquittoBroker.startTls(
                dir.resolve("mosquitto"),
                new MosquittoBroker.Tls(
                    trustedByBroker, brokerCert, dir.resolve("broker.key.pem"), true));
        Fixtures.Receiver receiver =
            new Fixtures.Receiver(broker.url(), TlsSockets.of("test", tls));
        ParkSimulation simulation =
            ParkSimulation.start(
                Fixtures.singleCncPark(),
                "127.0.0.1",
                opcPort,
                new SimClock(System.currentTimeMillis(), 1),
                1,
                m -> {})) {
      assertThat(broker.url()).startsWith("ssl://");
      String yaml =
          GatewayConfigTest.VALID
              .replace(
                  "  broker: tcp://127.0.0.1:1883\n",
                  "  broker: "
                      + broker.url()
                      + "\n  tls: { caFile: "
                      + brokerCert
                      + ", certFile: "
                      + clientCert
                      + ", keyFile: "
                      + dir.resolve("gateway.key.pem")
                      + " }\n")
              .replace("127.0.0.1:4840", "127.0.0.1:" + opcPort)
              .replace("BUFFER_DIR", dir.resolve("buffer").toString());
      GatewayConfig config =
          new YamlConfigLoader().parse(Path.of("gateway.yaml"), yaml, GatewayConfig.class);
      assertThat(config.uplink().tls()).isEqualTo(tls);
      try (EdgeAgent agent = EdgeAgent.start(config)) {
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.readings() > 10);
      }

      // The broker's certificate is verified: a client that trusts another CA is refused.
      TlsFiles otherCa = new TlsFiles(clientCert, clientCert, dir.resolve("gateway.key.pem"));
      MqttConnectionOptions options = new MqttConnectionOptions();
      options.setSocketFactory(TlsSockets.of("test", otherCa));
      options.setConnectionTimeout(3);
      MqttClient stranger = new MqttClient(broker.url(), "stranger", new MemoryPersistence());
      assertThatThrownBy(() -> stranger.connect(options))
          .isInstanceOf(MqttException.class)
          .hasStackTraceContaining("SSLHandshakeException");
      stranger.close();
    }
  }
}
