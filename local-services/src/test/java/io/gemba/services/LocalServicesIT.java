package io.gemba.services;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemba.testkit.InfluxRows;
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
      try (InfluxRows rows = InfluxRows.open(influxUrl, LocalServices.DATABASE)) {
        assertThat(rows.rows("SHOW DATABASES"))
            .extracting(r -> r.string("name"))
            .contains(LocalServices.DATABASE);
      }
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
}
