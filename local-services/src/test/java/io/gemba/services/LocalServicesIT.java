package io.gemba.services;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalServicesIT {

  @TempDir Path dir;

  @Test
  void startsBothServicesOnLoopback_andStopsThem() throws Exception {
    int brokerPort;
    String influxUrl;
    try (LocalServices services = LocalServices.start(dir)) {
      brokerPort = services.broker().port();
      influxUrl = services.influx().url();

      assertThat(ChildProcess.acceptsConnections(brokerPort)).isTrue();
      assertThat(query(influxUrl, "SHOW DATABASES")).contains(LocalServices.DATABASE);
      assertThat(dir.resolve("influxdb/meta")).isDirectory();
    }
    assertThat(ChildProcess.acceptsConnections(brokerPort)).isFalse();
  }

  @Test
  void brokerRestart_keepsItsPort() {
    try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("m"))) {
      int port = broker.port();
      broker.kill();
      try (MosquittoBroker again = broker.restart()) {
        assertThat(again.port()).isEqualTo(port);
        assertThat(ChildProcess.acceptsConnections(port)).isTrue();
      }
    }
  }

  private static String query(String base, String q) throws Exception {
    HttpURLConnection c =
        (HttpURLConnection)
            URI.create(base + "/query?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8))
                .toURL()
                .openConnection();
    return new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }
}
