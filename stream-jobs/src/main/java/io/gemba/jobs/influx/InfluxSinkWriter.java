package io.gemba.jobs.influx;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBException;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.BatchPoints;
import org.influxdb.dto.Point;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers points and writes them in one request. A failed write is retried with growing delays;
 * when it still fails, the writer fails the task so that Flink's restart strategy takes over
 * instead of points being dropped silently.
 */
final class InfluxSinkWriter<T> implements SinkWriter<T> {

  private static final Logger log = LoggerFactory.getLogger(InfluxSinkWriter.class);
  private static final int ATTEMPTS = 6;

  private final String database;
  private final PointMapper<T> mapper;
  private final int batchSize;
  private final long flushIntervalMs;
  private final ProcessingTimeService time;
  private final InfluxDB influx;
  private List<Point> buffer = new ArrayList<>();
  private IOException failure;

  InfluxSinkWriter(
      String url,
      String database,
      PointMapper<T> mapper,
      int batchSize,
      long flushIntervalMs,
      ProcessingTimeService time) {
    this.database = database;
    this.mapper = mapper;
    this.batchSize = batchSize;
    this.flushIntervalMs = flushIntervalMs;
    this.time = time;
    this.influx = InfluxDBFactory.connect(url);
    scheduleFlush();
  }

  private void scheduleFlush() {
    time.registerTimer(
        time.getCurrentProcessingTime() + flushIntervalMs,
        timestamp -> {
          try {
            writeBuffer();
          } catch (IOException e) {
            failure = e;
          }
          scheduleFlush();
        });
  }

  @Override
  public void write(T element, Context context) throws IOException {
    throwIfFailed();
    buffer.add(mapper.toPoint(element));
    if (buffer.size() >= batchSize) {
      writeBuffer();
    }
  }

  @Override
  public void flush(boolean endOfInput) throws IOException {
    throwIfFailed();
    writeBuffer();
  }

  private void throwIfFailed() throws IOException {
    if (failure != null) {
      throw failure;
    }
  }

  private void writeBuffer() throws IOException {
    if (buffer.isEmpty()) {
      return;
    }
    BatchPoints batch = BatchPoints.database(database).points(buffer).build();
    long delay = 200;
    for (int attempt = 1; ; attempt++) {
      try {
        influx.write(batch);
        buffer = new ArrayList<>();
        return;
      } catch (InfluxDBException e) {
        if (attempt == ATTEMPTS) {
          throw new IOException(
              "InfluxDB write of " + buffer.size() + " points failed " + ATTEMPTS + " times", e);
        }
        log.warn(
            "influx write failed attempt={} points={} retryInMs={} reason={}",
            attempt,
            buffer.size(),
            delay,
            e.getMessage());
        sleep(delay);
        delay = Math.min(delay * 2, 5_000);
      }
    }
  }

  private static void sleep(long ms) throws IOException {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while retrying an InfluxDB write", e);
    }
  }

  @Override
  public void close() {
    try {
      writeBuffer();
    } catch (IOException e) {
      log.error("points lost on close points={} reason={}", buffer.size(), e.getMessage());
    } finally {
      influx.close();
    }
  }
}
