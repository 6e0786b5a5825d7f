package io.gemba.jobs.influx;

import java.io.Serializable;
import org.influxdb.dto.Point;

/** Turns a record into an InfluxDB point; shipped with the job graph, so it is serializable. */
@FunctionalInterface
public interface PointMapper<T> extends Serializable {
  Point toPoint(T record);
}
