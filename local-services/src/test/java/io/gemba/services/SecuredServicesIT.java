package io.gemba.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gemba.connect.BrokerEndpoint;
import io.gemba.connect.Identities;
import io.gemba.connect.MqttConnect;
import io.gemba.connect.SecretFile;
import io.gemba.connect.TlsFiles;
import io.gemba.model.asset.Park;
import io.gemba.model.config.YamlConfigLoader;
import io.gemba.services.plant.PlantSecrets;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The security matrix on the secured services, run by Debian's mosquitto and influxd as a plant
 * runs them: who is refused (anonymous clients, another factory's gateway, a gateway writing KPIs,
 * the API writing anything, InfluxDB without or with wrong credentials, each identity outside its
 * rights), and that the job and the API work with exactly their own rights.
 */
class SecuredServicesIT {

  private static final Park PARK =
      new YamlConfigLoader()
          .parse(
              Path.of("park.yaml"),
              """
              id: p
              factories:
                - { id: fa, timeZone: UTC, lines: [ { id: l1, machines: [ { id: m-a, kind: cnc, idealCycleSeconds: 20 } ] } ] }
                - { id: fb, timeZone: UTC, lines: [ { id: l1, machines: [ { id: m-b, kind: cnc, idealCycleSeconds: 20 } ] } ] }
              """,
              Park.class);

  /** MQTT v5's "not authorized" reason code. */
  private static final int NOT_AUTHORIZED = 0x87;

  @TempDir static Path dir;
  static LocalServices services;
  private final List<MqttAsyncClient> clients = new ArrayList<>();
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    services =
        LocalServices.startSecured(
            dir.resolve("services"),
            PlantSecrets.openOrCreate(dir.resolve("secrets")),
            PARK,
            false);
  }

  @AfterAll
  static void stop() {
    services.close();
  }

  @AfterEach
  void disconnect() {
    for (MqttAsyncClient c : clients) {
      try {
        if (c.isConnected()) {
          c.disconnect().waitForCompletion(2_000);
        }
        c.close(true);
      } catch (MqttException e) {
        // closing anyway
      }
    }
  }

  /** Topics received by a client, in order. */
  private static final class Received implements MqttCallback {
    final List<String> topics = new CopyOnWriteArrayList<>();

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      topics.add(topic + "=" + new String(message.getPayload(), StandardCharsets.UTF_8));
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
  }

  private MqttAsyncClient connect(BrokerEndpoint endpoint, String clientId, Received received)
      throws MqttException {
    MqttAsyncClient client =
        new MqttAsyncClient(endpoint.broker(), clientId, new MemoryPersistence());
    clients.add(client);
    client.setCallback(received);
    MqttConnectionOptions options = MqttConnect.options(endpoint, "test");
    options.setConnectionTimeout(5);
    options.setCleanStart(false);
    options.setSessionExpiryInterval(3600L);
    client.connect(options).waitForCompletion(10_000);
    return client;
  }

  /** The reason code of a QoS 1 publish: 0 when the broker took it, 0x87 when the ACL denied it. */
  private static int publish(MqttAsyncClient client, String topic, String payload)
      throws MqttException {
    MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
    message.setQos(1);
    IMqttToken token = client.publish(topic, message);
    token.waitForCompletion(5_000);
    return token.getReasonCodes() == null ? 0 : token.getReasonCodes()[0];
  }

  private static void subscribe(MqttAsyncClient client, String filter) throws MqttException {
    client
        .subscribe(new MqttSubscription[] {new MqttSubscription(filter, 1)})
        .waitForCompletion(5_000);
  }

  @Test
  void broker_refusesAnonymousClients_wrongPasswords_andPlainTcp() throws Exception {
    MosquittoBroker broker = services.broker();
    assertThat(broker.url()).startsWith("ssl://");
    assertThatThrownBy(() -> connect(broker.endpoint(), "anonymous", new Received()))
        .isInstanceOf(MqttException.class)
        .hasMessageContaining("authori");
    Path wrong = dir.resolve("wrong.pass");
    Files.writeString(wrong, "not-the-password");
    Files.setPosixFilePermissions(wrong, PosixFilePermissions.fromString("rw-------"));
    assertThatThrownBy(
            () ->
                connect(
                    broker.endpoint(Identities.gateway("fa")).as(Identities.gateway("fa"), wrong),
                    "x",
                    new Received()))
        .isInstanceOf(MqttException.class);
    // The right password over plain TCP: the listener speaks TLS only.
    BrokerEndpoint plain =
        new BrokerEndpoint(
            broker.url().replace("ssl://", "tcp://"),
            Identities.gateway("fa"),
            broker.endpoint(Identities.gateway("fa")).passwordFile(),
            null,
            true);
    assertThatThrownBy(() -> connect(plain, "plain", new Received()))
        .isInstanceOf(MqttException.class);
  }

  @Test
  void gateway_writesItsOwnFactorysTelemetryOnly_andTheJobAndApiGetExactlyTheirs()
      throws Exception {
    MosquittoBroker broker = services.broker();
    Received job = new Received();
    MqttAsyncClient kpiJob = connect(broker.jobEndpoint(), "gemba-kpi-0", job);
    // A group of this test's own: sessions of other tests stay in theirs while offline.
    subscribe(kpiJob, "$share/matrix/gemba/v1/+/+/+/telemetry");
    Received api = new Received();
    MqttAsyncClient apiClient = connect(broker.endpoint(Identities.API), "gemba-api-live", api);
    subscribe(apiClient, "gemba/v1/+/kpi/+");
    subscribe(apiClient, "gemba/v1/+/+/+/telemetry");

    MqttAsyncClient fa =
        connect(broker.endpoint(Identities.gateway("fa")), "gw-fa", new Received());
    assertThat(publish(fa, "gemba/v1/fa/l1/m-a/telemetry", "own")).isZero();
    // Another factory's machine, a KPI topic, a Sparkplug topic that is not its own.
    assertThat(publish(fa, "gemba/v1/fb/l1/m-b/telemetry", "forged")).isEqualTo(NOT_AUTHORIZED);
    assertThat(publish(fa, "gemba/v1/fa/kpi/oee", "fake-kpi")).isEqualTo(NOT_AUTHORIZED);
    assertThat(publish(fa, "spBv1.0/g/NDATA/gw-fb", "x")).isEqualTo(NOT_AUTHORIZED);
    // The API's user writes nothing at all.
    assertThat(publish(apiClient, "gemba/v1/fa/kpi/oee", "fake")).isEqualTo(NOT_AUTHORIZED);
    assertThat(publish(apiClient, "gemba/v1/fa/l1/m-a/telemetry", "fake"))
        .isEqualTo(NOT_AUTHORIZED);
    // The job writes KPIs.
    assertThat(publish(kpiJob, "gemba/v1/fa/kpi/oee", "kpi")).isZero();
    // The job's user writes no telemetry.
    assertThat(publish(kpiJob, "gemba/v1/fa/l1/m-a/telemetry", "fake")).isEqualTo(NOT_AUTHORIZED);

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(job.topics).as("telemetry the job got").isNotEmpty();
              assertThat(api.topics).as("KPIs the API got").isNotEmpty();
            });
    Thread.sleep(500); // what was refused would have arrived by now
    assertThat(job.topics).containsExactly("gemba/v1/fa/l1/m-a/telemetry=own");
    assertThat(api.topics).containsExactly("gemba/v1/fa/kpi/oee=kpi");
  }

  @Test
  void noUserCanTakeOverAnothersSession_itsQueuedMessagesStayItsOwn() throws Exception {
    MosquittoBroker broker = services.broker();
    // The job's session, with a message queued while the job is away.
    Received first = new Received();
    MqttAsyncClient job = connect(broker.jobEndpoint(), "gemba-kpi-7", first);
    subscribe(job, "$share/takeover/gemba/v1/+/+/+/telemetry");
    job.disconnect().waitForCompletion(2_000);
    MqttAsyncClient fb =
        connect(broker.endpoint(Identities.gateway("fb")), "gw-fb", new Received());
    assertThat(publish(fb, "gemba/v1/fb/l1/m-b/telemetry", "queued")).isZero();

    // Gateway fa asks for the job's client id, and then for gateway fb's: the broker makes its
    // client id its user name instead, so neither session is touched.
    Received thief = new Received();
    MqttAsyncClient a1 = connect(broker.endpoint(Identities.gateway("fa")), "gemba-kpi-7", thief);
    MqttAsyncClient a2 =
        connect(broker.endpoint(Identities.gateway("fa")), "gw-fb", new Received());
    Thread.sleep(500);
    assertThat(fb.isConnected()).as("gateway fb still connected").isTrue();
    assertThat(a2.isConnected()).isTrue();
    assertThat(a1.isConnected()).as("fa's first connection, taken over by its second").isFalse();

    Received back = new Received();
    connect(broker.jobEndpoint(), "gemba-kpi-7", back);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(back.topics).containsExactly("gemba/v1/fb/l1/m-b/telemetry=queued"));
    assertThat(thief.topics).isEmpty();
  }

  @Test
  void rotatedPassword_isReadFromItsFileAtTheNextReconnect() throws Exception {
    String user = Identities.gatewayStations("fa");
    BrokerEndpoint endpoint = services.broker().endpoint(user);
    MqttAsyncClient client =
        new MqttAsyncClient(endpoint.broker(), "ignored", new MemoryPersistence());
    clients.add(client);
    MqttConnectionOptions options = MqttConnect.options(endpoint, "test");
    options.setAutomaticReconnect(true);
    options.setAutomaticReconnectDelay(1, 2);
    client.connect(options).waitForCompletion(10_000);
    // A client that kept the old password in memory cannot come back after the rotation.
    MqttAsyncClient stale =
        new MqttAsyncClient(endpoint.broker(), "ignored", new MemoryPersistence());
    clients.add(stale);
    MqttConnectionOptions staleOptions = new MqttConnectionOptions();
    staleOptions.setSocketFactory(endpoint.socketFactory("test"));
    staleOptions.setUserName(Identities.gatewaySparkplug("fa"));
    staleOptions.setPassword(
        SecretFile.read(
            "p", services.broker().endpoint(Identities.gatewaySparkplug("fa")).passwordFile()));
    staleOptions.setAutomaticReconnect(true);
    staleOptions.setAutomaticReconnectDelay(1, 2);
    stale.connect(staleOptions).waitForCompletion(10_000);

    SecretFile.writeOwnerOnly(
        endpoint.passwordFile(), "rotated-1".getBytes(StandardCharsets.UTF_8));
    SecretFile.writeOwnerOnly(
        services.broker().endpoint(Identities.gatewaySparkplug("fa")).passwordFile(),
        "rotated-2".getBytes(StandardCharsets.UTF_8));
    // The broker's password file is written anew from the secrets when it starts.
    services.restartBroker();

    await().atMost(Duration.ofSeconds(20)).until(client::isConnected);
    Thread.sleep(3_000);
    assertThat(stale.isConnected()).as("the client with the password kept in memory").isFalse();
  }

  @Test
  void tls_verifiesTheBrokersHostName() throws Exception {
    PlantSecrets secrets = services.secrets();
    Path other = dir.resolve("other-tls");
    Path cert =
        io.gemba.services.plant.CertificateAuthority.openOrCreate(secrets.dir().resolve("ca"), "x")
            .issueServer(other, "elsewhere", List.of("broker.elsewhere.example"));
    try (MosquittoBroker wrongName =
        MosquittoBroker.startTls(
            dir.resolve("wrong-name"),
            new MosquittoBroker.Tls(
                secrets.caFile(), cert, other.resolve("elsewhere.key"), false))) {
      BrokerEndpoint endpoint =
          new BrokerEndpoint(
              wrongName.url(), null, null, new TlsFiles(secrets.caFile(), null, null), false);
      assertThatThrownBy(() -> connect(endpoint, "x", new Received()))
          .isInstanceOf(MqttException.class)
          .hasStackTraceContaining("No subject alternative names matching IP address 127.0.0.1");
    }
  }

  private static HttpResponse<String> influx(String path, String body, String authorization)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(services.influx().url() + path))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    HttpClient trusting =
        HttpClient.newBuilder()
            .sslContext(
                io.gemba.connect.TlsSockets.context(
                        "test", new TlsFiles(services.secrets().caFile(), null, null))
                    .context())
            .build();
    return trusting.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String query(String q) {
    return "/query?db=gemba&epoch=ms&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8);
  }

  @Test
  void influx_refusesNoOrWrongCredentials_andEachUserHasExactlyItsPrivileges() throws Exception {
    InfluxDatabase influx = services.influx();
    assertThat(influx.url()).startsWith("https://");
    String job = influx.basicAuthorization(Identities.KPI_JOB);
    String api = influx.basicAuthorization(Identities.API);
    String wrong =
        "Basic "
            + Base64.getEncoder()
                .encodeToString("gemba-api:guess".getBytes(StandardCharsets.UTF_8));
    String line = "oee,machine=m-a run_ms=1i 1700000000000000000";

    assertThat(influx("/write?db=gemba", line, null).statusCode()).isEqualTo(401);
    assertThat(influx(query("SELECT * FROM oee"), "", null).statusCode()).isEqualTo(401);
    assertThat(influx(query("SELECT * FROM oee"), "", wrong).statusCode()).isEqualTo(401);
    // The job writes the KPI database and reads nothing.
    assertThat(influx("/write?db=gemba", line, job).statusCode()).isEqualTo(204);
    assertThat(influx(query("SELECT * FROM oee"), "", job).statusCode()).isEqualTo(403);
    assertThat(influx("/write?db=gemba_actions", "ack,m=a by=\"x\"", job).statusCode())
        .isEqualTo(403);
    // The API reads the KPI database, writes only the actions database.
    HttpResponse<String> read = influx(query("SELECT run_ms FROM oee"), "", api);
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.body()).contains("1700000000000");
    assertThat(influx("/write?db=gemba", line, api).statusCode()).isEqualTo(403);
    assertThat(influx("/write?db=gemba_actions", "ack,m=a by=\"x\"", api).statusCode())
        .isEqualTo(204);
    assertThat(influx(query("DROP DATABASE gemba"), "", api).statusCode()).isEqualTo(403);
    assertThat(influx(query("CREATE USER x WITH PASSWORD 'y'"), "", job).statusCode())
        .isEqualTo(403);
  }
}
