package io.gemba.edge.southbound.opcua;

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

  /** The source timestamp in epoch ms; 0 when the server sent none. */
  static long sourceTime(DataValue value) {
    return valid(value.sourceTime()) ? value.sourceTime().getJavaTime() : 0;
  }

  private static boolean valid(DateTime time) {
    return time != null && !time.isNull() && time.isValid();
  }

  static Quality quality(DataValue value) {
    StatusCode status = value.statusCode();
    return status == null ? Quality.GOOD : Quality.fromOpcUaStatus(status.value());
  }

  /**
   * A counter's value and modulus from its OPC UA data type. Signed 8/16/32-bit counters wrap to
   * negative numbers on many PLCs; they are read as unsigned so that a wrap stays a wrap.
   *
   * @return {value, modulus}, the modulus 0 for 64-bit counters; null when not an integer
   */
  static long[] counter(DataValue value) {
    Object raw = value.value() == null ? null : value.value().value();
    if (raw instanceof Byte b) {
      return new long[] {b & 0xFFL, 1L << 8};
    }
    if (raw instanceof Short s) {
      return new long[] {s & 0xFFFFL, 1L << 16};
    }
    if (raw instanceof Integer i) {
      return new long[] {i & 0xFFFF_FFFFL, 1L << 32};
    }
    if (raw instanceof org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UByte u) {
      return new long[] {u.longValue(), 1L << 8};
    }
    if (raw instanceof org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort u) {
      return new long[] {u.longValue(), 1L << 16};
    }
    if (raw instanceof org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger u) {
      return new long[] {u.longValue(), 1L << 32};
    }
    if (raw instanceof Long l) {
      return l < 0 ? null : new long[] {l, 0};
    }
    if (raw instanceof org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.ULong u) {
      return u.longValue() < 0 ? null : new long[] {u.longValue(), 0};
    }
    return null;
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

  /** The value as text: a string, a localized text's text, a number's digits; null when empty. */
  static String text(DataValue value) {
    Object raw = value.value() == null ? null : value.value().value();
    if (raw == null) {
      return null;
    }
    if (raw instanceof org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText t) {
      return t.text();
    }
    return raw.toString();
  }
}
