package io.gemba.jobs.influx;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemba.services.InfluxDatabase;
import io.gemba.testkit.InfluxRows;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.influxdb.dto.Point;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The InfluxDB sink on a real influxd: a batch InfluxDB refuses in part (HTTP 400, a field type
 * conflict) is recorded as a dead letter and not retried, the valid points of it are stored, and
 * the job carries on and finishes.
 */
class InfluxSinkIT {

  @TempDir Path dir;

  /** A value as a float, or as a string for the one that conflicts. */
  static Point point(String value) {
    Point.Builder b =
        Point.measurement("telemetry")
            .time(
                1_767_225_600_000L + Math.floorMod(value.hashCode(), 100_000),
                TimeUnit.MILLISECONDS)
            .tag("signal", "s");
    return value.startsWith("bad")
        ? b.addField("value", value).build()
        : b.addField("value", Double.parseDouble(value)).build();
  }

  @Test
  void contentTheDatabaseRefuses_isADeadLetter_andTheRestIsStored() throws Exception {
    try (InfluxDatabase db = InfluxDatabase.start(dir);
        InfluxRows influx = InfluxRows.open(db.url(), "gemba")) {
      db.createDatabase("gemba");
      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
      env.setParallelism(1);
      // Batches of two: the first makes `value` a float field, the second conflicts in part.
      env.fromData("1.5", "2.5", "bad-1", "3.5")
          .sinkTo(new InfluxSink<String>(db.endpoint(), "gemba", InfluxSinkIT::point, 2, 60_000));
      env.execute("influx-sink-test");

      assertThat(influx.count("SELECT count(value) FROM telemetry")).isEqualTo(3);
      List<InfluxRows.Row> letters = influx.rows("SELECT * FROM dead_letters");
      assertThat(letters)
          .singleElement()
          .satisfies(
              l -> {
                assertThat(l.get("measurement")).isEqualTo("telemetry");
                assertThat((String) l.get("reason")).contains("field type conflict");
                assertThat(((Number) l.get("points")).intValue()).isEqualTo(2);
              });
    }
  }
}
