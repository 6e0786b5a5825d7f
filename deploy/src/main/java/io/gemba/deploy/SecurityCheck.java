package io.gemba.deploy;

import io.gemba.connect.BrokerEndpoint;
import io.gemba.connect.MqttConnect;
import io.gemba.connect.TlsFiles;
import io.gemba.connect.TlsSockets;
import io.gemba.services.LocalServices;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * The demo's own proof that it runs secured, tried as an outsider on this machine would: an
 * anonymous MQTT client on each of the broker's listeners, a client of plain TCP, and InfluxDB
 * asked without credentials and over plain HTTP. Each must be refused.
 */
final class SecurityCheck {

  /** One check: what was tried, and whether it was refused as it must be. */
  record Result(String attempt, boolean refused) {}

  private SecurityCheck() {}

  static List<Result> run(LocalServices services) {
    List<Result> results = new ArrayList<>();
    String shared = services.broker().url();
    String job = services.broker().jobEndpoint().broker();
    TlsFiles trust = new TlsFiles(services.secrets().caFile(), null, null);
    results.add(
        new Result(
            "anonymous MQTT client on " + shared,
            !connects(new BrokerEndpoint(shared, null, null, trust, false))));
    results.add(
        new Result(
            "anonymous MQTT client on " + job,
            !connects(new BrokerEndpoint(job, null, null, trust, false))));
    results.add(
        new Result(
            "MQTT over plain TCP on " + shared.replace("ssl://", "tcp://"),
            !connects(BrokerEndpoint.anonymous(shared.replace("ssl://", "tcp://")))));
    String influx = services.influx().url();
    results.add(
        new Result(
            "InfluxDB query without credentials on " + influx, status(influx, trust) == 401));
    results.add(
        new Result(
            "InfluxDB over plain HTTP on " + influx.replace("https://", "http://"),
            status(influx.replace("https://", "http://"), null) != 200));
    return results;
  }

  private static boolean connects(BrokerEndpoint endpoint) {
    MqttClient client = null;
    try {
      client = new MqttClient(endpoint.broker(), "gemba-security-check", new MemoryPersistence());
      MqttConnectionOptions options = MqttConnect.options(endpoint, "--mqtt-ca");
      options.setConnectionTimeout(5);
      client.connect(options);
      client.disconnect();
      return true;
    } catch (MqttException e) {
      return false;
    } finally {
      if (client != null) {
        try {
          client.close(true);
        } catch (MqttException e) {
          // closed anyway
        }
      }
    }
  }

  /** The HTTP status of an InfluxDB query without credentials; -1 when nothing answered. */
  private static int status(String url, TlsFiles trust) {
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3));
    if (trust != null) {
      builder.sslContext(TlsSockets.context("ca", trust).context());
    }
    try {
      return builder
          .build()
          .send(
              HttpRequest.newBuilder(URI.create(url + "/query?q=SHOW%20DATABASES"))
                  .timeout(Duration.ofSeconds(3))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
