package io.gemba.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gemba.edge.config.TlsConfig;
import io.gemba.edge.security.TlsSockets;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production broker configuration in deploy/mosquitto, run by Debian's mosquitto with only its
 * file locations, port and log destination changed for the test: TLS only, no anonymous clients,
 * and the per-factory ACLs hold (a gateway writes its own factory's telemetry and no other, the KPI
 * job reads it through its shared subscription, the API reads KPIs and not telemetry).
 */
class PlantBrokerConfigTest {

  private static final Path CONFIG_DIR = Path.of("mosquitto");

  @TempDir Path dir;

  private Process broker;
  private int port;
  private final List<MqttClient> clients = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (MqttClient c : clients) {
      if (c.isConnected()) {
        c.disconnect();
      }
      c.close();
    }
    if (broker != null) {
      broker.destroy();
      broker.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
  }

  private void startBroker() throws Exception {
    run(
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
        "-keyout",
        dir.resolve("broker.key").toString(),
        "-out",
        dir.resolve("broker.crt").toString());
    Path passwords = dir.resolve("gemba.passwd");
    for (String user : List.of("gw-zj-electronics", "gw-jq-autoparts", "gemba-kpi", "gemba-api")) {
      List<String> command = new java.util.ArrayList<>(List.of("mosquitto_passwd"));
      if (!Files.exists(passwords)) {
        command.add("-c");
      }
      command.addAll(List.of("-b", passwords.toString(), user, user + "-secret"));
      run(command.toArray(String[]::new));
    }
    Files.copy(CONFIG_DIR.resolve("gemba.acl"), dir.resolve("gemba.acl"));
    Files.createDirectories(dir.resolve("persistence"));
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String config =
        Files.readString(CONFIG_DIR.resolve("mosquitto.conf"))
                .replace("/var/lib/mosquitto/", dir.resolve("persistence") + "/")
                .replace("/etc/mosquitto/certs/ca.crt", dir.resolve("broker.crt").toString())
                .replace("/etc/mosquitto/certs/", dir + "/")
                .replace("/etc/mosquitto/", dir + "/")
                .replace("listener 8883", "listener " + port + " 127.0.0.1")
                .replace("log_dest syslog", "log_dest file " + dir.resolve("broker.log"))
            // Started as root, mosquitto would switch to the user 'mosquitto', who cannot read
            // the test's files.
            + "\nuser "
            + System.getProperty("user.name")
            + "\n";
    assertThat(config).doesNotContain("/etc/mosquitto", "/var/lib/mosquitto");
    Path file = dir.resolve("mosquitto.conf");
    Files.writeString(file, config);
    broker =
        new ProcessBuilder("mosquitto", "-c", file.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("mosquitto.log").toFile())
            .start();
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () -> {
              assertThat(broker.isAlive())
                  .as(
                      "mosquitto with the production config: %s",
                      Files.readString(dir.resolve("mosquitto.log")))
                  .isTrue();
              try (Socket s = new Socket("127.0.0.1", port)) {
                return true;
              } catch (IOException e) {
                return false;
              }
            });
  }

  private MqttClient connect(String user) throws Exception {
    MqttClient client =
        new MqttClient("ssl://127.0.0.1:" + port, user + "-test", new MemoryPersistence());
    clients.add(client);
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setSocketFactory(
        TlsSockets.of("test", new TlsConfig(dir.resolve("broker.crt"), null, null)));
    if (user != null) {
      options.setUserName(user);
      options.setPassword((user + "-secret").getBytes(StandardCharsets.UTF_8));
    }
    client.connect(options);
    return client;
  }

  private static List<String> subscribe(MqttClient client, String filter) throws Exception {
    List<String> topics = new CopyOnWriteArrayList<>();
    IMqttMessageListener listener = (topic, message) -> topics.add(topic);
    client.subscribe(
        new MqttSubscription[] {new MqttSubscription(filter, 1)},
        new IMqttMessageListener[] {listener});
    return topics;
  }

  private static void publish(MqttClient client, String topic) throws Exception {
    client.publish(topic, "{}".getBytes(StandardCharsets.UTF_8), 1, false);
  }

  @Test
  void tlsAndPasswordsOnly_andEachFactoryWritesItsOwnTelemetryOnly() throws Exception {
    startBroker();

    // No anonymous clients.
    assertThatThrownBy(() -> connect(null)).isInstanceOf(MqttException.class);

    // Paho hands messages of a shared subscription to the client's callback, not to the
    // subscription's listener (it matches their topic against the $share/... filter).
    MqttClient kpiJob = connect("gemba-kpi");
    List<String> telemetry = new CopyOnWriteArrayList<>();
    kpiJob.setCallback(
        new MqttCallback() {
          @Override
          public void messageArrived(String topic, MqttMessage message) {
            telemetry.add(topic);
          }

          @Override
          public void disconnected(MqttDisconnectResponse response) {}

          @Override
          public void mqttErrorOccurred(MqttException exception) {}

          @Override
          public void deliveryComplete(IMqttToken token) {}

          @Override
          public void connectComplete(boolean reconnect, String serverUri) {}

          @Override
          public void authPacketArrived(int reasonCode, MqttProperties properties) {}
        });
    kpiJob.subscribe(
        new MqttSubscription[] {
          new MqttSubscription("$share/gemba-kpi/gemba/v1/+/+/+/telemetry", 1)
        });
    // The API subscribes as its live feed does; telemetry it may not read.
    MqttClient api = connect("gemba-api");
    List<String> seenByApi = subscribe(api, "gemba/v1/+/kpi/+");
    List<String> telemetrySeenByApi = subscribe(api, "gemba/v1/+/+/+/telemetry");

    MqttClient zj = connect("gw-zj-electronics");
    publish(zj, "gemba/v1/zj-electronics/smt-2/cnc-07/telemetry");
    // Another factory's topic, and a KPI topic: refused by the ACL.
    publish(zj, "gemba/v1/jq-autoparts/machining-1/cnc-01/telemetry");
    publish(zj, "gemba/v1/zj-electronics/kpi/oee");
    MqttClient jq = connect("gw-jq-autoparts");
    publish(jq, "gemba/v1/jq-autoparts/machining-1/cnc-01/telemetry");
    publish(kpiJob, "gemba/v1/zj-electronics/kpi/oee");

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(telemetry)
                  .as(
                      "telemetry the KPI job got; KPIs the API got: %s; log: %s",
                      seenByApi, Files.readString(dir.resolve("broker.log")))
                  .hasSizeGreaterThanOrEqualTo(2);
              assertThat(seenByApi).as("KPIs the API got").isNotEmpty();
            });
    Thread.sleep(500); // anything refused would have arrived by now
    assertThat(telemetry)
        .containsExactlyInAnyOrder(
            "gemba/v1/zj-electronics/smt-2/cnc-07/telemetry",
            "gemba/v1/jq-autoparts/machining-1/cnc-01/telemetry");
    assertThat(seenByApi).containsExactly("gemba/v1/zj-electronics/kpi/oee");
    assertThat(telemetrySeenByApi).isEmpty();
  }
}
