package io.gemba.jobs.influx;

import io.gemba.connect.InfluxConnect;
import io.gemba.connect.InfluxEndpoint;
import io.gemba.jobs.records.RejectedMessage;
import io.gemba.model.config.Names;
import io.gemba.model.storage.Schema;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBException;
import org.influxdb.dto.BatchPoints;
import org.influxdb.dto.Point;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers points and writes them in one request. A write InfluxDB refuses for its content (HTTP
 * 400: a field type conflict, a line it cannot parse or a key too long, points beyond the retention
 * policy, a tag over {@code max-values-per-tag}, a database over {@code max-series-per-database},
 * any other "partial write") is not retried: InfluxDB stored the valid points of the batch, and the
 * refusal is recorded as a dead letter in {@code dead_letters} and counted; a retry would fail the
 * same way, and failing the task would replay the same input into the same refusal for ever. Any
 * other failure (InfluxDB down, overloaded, database missing) is retried with growing delays for
 * {@link #RETRY_FOR}; when it still fails, the writer fails the task so that Flink's restart
 * strategy takes over, from the last checkpoint, instead of points being dropped.
 */
final class InfluxSinkWriter<T> implements SinkWriter<T> {

  private static final Logger log = LoggerFactory.getLogger(InfluxSinkWriter.class);

  /** How long a write that may succeed later is retried before the task fails. */
  static final Duration RETRY_FOR = Duration.ofMinutes(2);

  private final String database;
  private final PointMapper<T> mapper;
  private final int batchSize;
  private final long flushIntervalMs;
  private final ProcessingTimeService time;
  private final InfluxDB influx;
  private List<Point> buffer = new ArrayList<>();
  private IOException failure;
  private final Counter deadLetters;
  private long deadLetterOrdinal;

  InfluxSinkWriter(
      InfluxEndpoint endpoint,
      String database,
      PointMapper<T> mapper,
      int batchSize,
      long flushIntervalMs,
      ProcessingTimeService time,
      Counter deadLetters) {
    this.database = database;
    this.mapper = mapper;
    this.batchSize = batchSize;
    this.flushIntervalMs = flushIntervalMs;
    this.time = time;
    this.deadLetters = deadLetters;
    // A batch of 5,000 points is written in well under a second; a minute without an answer is
    // a stalled InfluxDB, and the write is retried.
    this.influx = InfluxConnect.connect(endpoint, Duration.ofSeconds(60), "--influx");
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
    long deadline = System.nanoTime() + RETRY_FOR.toNanos();
    for (int attempt = 1; ; attempt++) {
      try {
        influx.write(batch);
        buffer = new ArrayList<>();
        return;
      } catch (InfluxDBException e) {
        if (refusedForContent(e)) {
          deadLetter(e);
          buffer = new ArrayList<>();
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new IOException(
              "InfluxDB write of "
                  + buffer.size()
                  + " points still failing after "
                  + RETRY_FOR
                  + " ("
                  + attempt
                  + " attempts)",
              e);
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

  /**
   * The beginnings of InfluxDB 1.x's answers to a write refused for what is in it. Its HTTP status
   * (400) does not reach the client's exception, and influxdb-java maps only some of them to their
   * own exception classes, so the message decides.
   */
  private static final List<String> CONTENT_REFUSALS =
      List.of(
          "partial write",
          "unable to parse",
          "field type conflict",
          "points beyond retention policy",
          "max-values-per-tag limit exceeded",
          "max-series-per-database limit exceeded",
          "max key length exceeded");

  /** Whether InfluxDB refused the batch for what is in it, so that a retry would fail the same. */
  static boolean refusedForContent(InfluxDBException e) {
    if (e instanceof InfluxDBException.FieldTypeConflictException
        || e instanceof InfluxDBException.UnableToParseException
        || e instanceof InfluxDBException.PointsBeyondRetentionPolicyException) {
      return true;
    }
    String message = e.getMessage() == null ? "" : e.getMessage();
    return CONTENT_REFUSALS.stream().anyMatch(message::contains);
  }

  /**
   * The points InfluxDB says it dropped ("dropped=N"), or all of the batch when it does not say.
   */
  static int dropped(String message, int points) {
    Matcher m = DROPPED.matcher(message == null ? "" : message);
    return m.find() ? (int) Math.min(points, Long.parseLong(m.group(1))) : points;
  }

  private static final Pattern DROPPED = Pattern.compile("dropped=(\\d{1,9})");

  private void deadLetter(InfluxDBException e) {
    deadLetters.inc();
    String measurement = buffer.get(0).lineProtocol().split("[ ,]", 2)[0];
    // InfluxDB quotes the refused line, which can be long: keep the start, printable.
    String reason = Names.shown(String.valueOf(e.getMessage()), RejectedMessage.MAX_REASON);
    int dropped = dropped(e.getMessage(), buffer.size());
    log.error(
        "influx refused points, recorded as dead letter measurement={} points={} dropped={}"
            + " reason={}",
        measurement,
        buffer.size(),
        dropped,
        reason);
    Point letter =
        Point.measurement(Schema.DEAD_LETTERS)
            .time(
                System.currentTimeMillis() * 1_000_000L + deadLetterOrdinal++, TimeUnit.NANOSECONDS)
            .tag(Schema.MEASUREMENT, measurement)
            .addField(Schema.POINTS, buffer.size())
            .addField(Schema.DROPPED, dropped)
            .addField(Schema.REASON, reason)
            .build();
    try {
      influx.write(database, "", letter);
    } catch (InfluxDBException stored) {
      log.error("dead letter not stored reason={}", stored.getMessage());
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

  /**
   * Releases the client without writing what is buffered. A job that ends normally flushed it
   * already ({@code flush(true)}); a task that is cancelled or failed will emit those points again
   * after it restores its last checkpoint (their MQTT messages were not acknowledged). Writing them
   * here could even do harm: the cleanup of a lost TaskManager can run after the restored job has
   * written newer values, and an old snapshot of a point that keeps changing (shift-to-date) would
   * then overwrite the new one.
   */
  @Override
  public void close() {
    if (!buffer.isEmpty()) {
      log.debug("unflushed points left to the restored job points={}", buffer.size());
    }
    influx.close();
  }
}
