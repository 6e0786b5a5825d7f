package io.gemba.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gemba.services.InfluxDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InfluxRowsIT {

  @TempDir Path dir;

  @Test
  void readsEverySeriesWithItsTagsAndThrowsOnErrors() throws Exception {
    try (InfluxDatabase influx = InfluxDatabase.start(dir);
        InfluxRows rows = InfluxRows.open(influx.url(), "kit")) {
      influx.createDatabase("kit");
      // The reader's own test: points in InfluxDB's documented line protocol.
      HttpResponse<String> written =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(influx.url() + "/write?db=kit&precision=s"))
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "m,k=a v=1i,x=0.5 1000\nm,k=a v=2i 1060\nm,k=b v=7i 1000"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(written.statusCode()).as(written.body()).isEqualTo(204);

      var grouped = rows.rows("SELECT v, x FROM m GROUP BY k");
      assertThat(grouped)
          .extracting(r -> r.string("k") + "=" + r.whole("v"))
          .containsExactly("a=1", "a=2", "b=7");
      assertThat(grouped.get(0).time()).isEqualTo(Instant.ofEpochSecond(1000));
      assertThat(grouped.get(0).number("x")).isEqualTo(0.5);
      assertThat(grouped.get(1).number("x")).isNull();
      assertThatThrownBy(() -> grouped.get(0).whole("x")).hasMessageContaining("not a whole");

      assertThat(rows.count("SELECT count(v) FROM m")).isEqualTo(3);
      assertThat(rows.count("SELECT count(v) FROM m WHERE k = 'c'")).isZero();
      assertThatThrownBy(() -> rows.rows("SELECT FROM")).hasMessageContaining("error parsing");
      try (InfluxRows elsewhere = InfluxRows.open(influx.url(), "missing")) {
        assertThatThrownBy(() -> elsewhere.rows("SELECT v FROM m"))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("database not found");
      }
    }
  }
}
