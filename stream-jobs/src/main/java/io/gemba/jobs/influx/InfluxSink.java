package io.gemba.jobs.influx;

import io.gemba.connect.InfluxEndpoint;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A Flink sink (Sink V2) that writes records as points to InfluxDB over the v1 HTTP API, in batches
 * of up to {@code batchSize} points or every {@code flushIntervalMs}, whichever comes first, and on
 * every checkpoint. Points carry source timestamps, so a retried batch overwrites the points it
 * already wrote instead of duplicating them.
 */
public final class InfluxSink<T> implements Sink<T> {

  private final InfluxEndpoint influx;
  private final String database;
  private final PointMapper<T> mapper;
  private final int batchSize;
  private final long flushIntervalMs;

  public InfluxSink(InfluxEndpoint influx, String database, PointMapper<T> mapper) {
    this(influx, database, mapper, 5_000, 1_000);
  }

  public InfluxSink(
      InfluxEndpoint influx,
      String database,
      PointMapper<T> mapper,
      int batchSize,
      long flushIntervalMs) {
    this.influx = influx;
    this.database = database;
    this.mapper = mapper;
    this.batchSize = batchSize;
    this.flushIntervalMs = flushIntervalMs;
  }

  @Override
  public SinkWriter<T> createWriter(WriterInitContext context) {
    return new InfluxSinkWriter<>(
        influx,
        database,
        mapper,
        batchSize,
        flushIntervalMs,
        context.getProcessingTimeService(),
        context.metricGroup().counter("influxDeadLetterBatches"));
  }
}
