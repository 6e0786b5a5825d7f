package io.gemba.edge.opcua;

import io.gemba.model.envelope.Quality;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;

/** Reads the parts of an OPC UA DataValue that an envelope carries. */
final class DataValues {

  private DataValues() {}

  /**
   * The source timestamp; servers that send none get their server timestamp, and failing that the
   * arrival time, so a reading is never dated before it could have been taken.
   */
  static long timestamp(DataValue value, long arrival) {
    if (valid(value.sourceTime())) {
      return value.sourceTime().getJavaTime();
    }
    if (valid(value.serverTime())) {
      return value.serverTime().getJavaTime();
    }
    return arrival;
  }

  private static boolean valid(DateTime time) {
    return time != null && !time.isNull() && time.isValid();
  }

  static Quality quality(DataValue value) {
    StatusCode status = value.statusCode();
    return status == null ? Quality.GOOD : Quality.fromOpcUaStatus(status.value());
  }

  /** The value as a number, or null when it is empty or not numeric. */
  static Number number(DataValue value) {
    Object raw = value.value() == null ? null : value.value().value();
    if (raw instanceof Number n) {
      return n;
    }
    if (raw instanceof Boolean b) {
      return b ? 1 : 0;
    }
    return null;
  }
}
