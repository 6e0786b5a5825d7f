package io.gemba.edge.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.gemba.model.config.InvalidFieldException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A size in bytes written as {@code 512MiB}, {@code 64MB}, {@code 2GiB} or a plain number. */
public record ByteSize(long bytes) {

  private static final Pattern FORM = Pattern.compile("(\\d+)\\s*([KMGT]i?B|B)?");

  @JsonCreator
  public static ByteSize parse(String text) {
    Matcher m = FORM.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "expected a size like 512MiB, 64MB or 1048576, got '" + text + "'");
    }
    long value = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
    long factor =
        switch (unit) {
          case "KB" -> 1_000L;
          case "MB" -> 1_000_000L;
          case "GB" -> 1_000_000_000L;
          case "TB" -> 1_000_000_000_000L;
          case "KIB" -> 1L << 10;
          case "MIB" -> 1L << 20;
          case "GIB" -> 1L << 30;
          case "TIB" -> 1L << 40;
          default -> 1L;
        };
    return new ByteSize(Math.multiplyExact(value, factor));
  }

  public static ByteSize atLeast(String field, ByteSize size, ByteSize fallback, long minimum) {
    ByteSize value = size == null ? fallback : size;
    if (value.bytes() < minimum) {
      throw new InvalidFieldException(
          field, "expected at least " + minimum + " bytes, got " + value.bytes());
    }
    return value;
  }
}
