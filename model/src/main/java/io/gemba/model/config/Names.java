package io.gemba.model.config;

/**
 * The one charset of every name that travels from a device or gateway into topics, Flink state and
 * InfluxDB tags (docs/envelope.md#names). Ids and signal names are short, lower-case and free of
 * MQTT separators, wildcards, line-protocol delimiters and control characters, so that no payload
 * can split a line of InfluxDB's line protocol, widen an MQTT subscription or grow a tag without
 * bound.
 *
 * <ul>
 *   <li>ids (park, factory, line, machine, gateway): {@code [a-z0-9][a-z0-9_-]*}, at most {@value
 *       #MAX_LENGTH} characters;
 *   <li>signal names: {@code [a-z][a-z0-9_]*}, at most {@value #MAX_LENGTH} characters;
 *   <li>stop reasons: 1 to {@value #MAX_LENGTH} characters of any script, no control characters.
 * </ul>
 */
public final class Names {

  /** The longest id, signal name or stop reason, in characters. */
  public static final int MAX_LENGTH = 64;

  private Names() {}

  /** Whether {@code value} is an id: lower-case letters, digits, '-' and '_', at most 64. */
  public static boolean isId(String value) {
    if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (i > 0 && (c == '-' || c == '_'));
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code value} is a signal name: snake_case starting with a letter, at most 64. */
  public static boolean isSignal(String value) {
    if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (i > 0 && ((c >= '0' && c <= '9') || c == '_'));
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code value} is a stop reason: 1 to 64 characters, no control characters. */
  public static boolean isReason(String value) {
    return value != null
        && !value.isEmpty()
        && value.length() <= MAX_LENGTH
        && value.chars().noneMatch(Character::isISOControl);
  }

  /** Fails with a message naming {@code field} unless {@code value} is an id. */
  public static String requireId(String field, String value) {
    if (!isId(value)) {
      throw new InvalidFieldException(
          field,
          "expected an id of 1 to "
              + MAX_LENGTH
              + " lower-case letters, digits, '-' and '_' (it becomes part of MQTT topics), got "
              + shown(value));
    }
    return value;
  }

  /** Fails with a message naming {@code field} unless {@code value} is a signal name. */
  public static String requireSignal(String field, String value) {
    if (!isSignal(value)) {
      throw new InvalidFieldException(
          field,
          "expected a signal name of 1 to "
              + MAX_LENGTH
              + " snake_case letters, digits and '_', starting with a letter, got "
              + shown(value));
    }
    return value;
  }

  /** Fails with a message naming {@code field} unless {@code value} is a stop reason. */
  public static String requireReason(String field, String value) {
    if (!isReason(value)) {
      throw new InvalidFieldException(
          field,
          "expected at most "
              + MAX_LENGTH
              + " characters without control characters, got "
              + (value == null ? "none" : value.length() + " characters"));
    }
    return value;
  }

  /**
   * A refused value as a message may show it: at most 64 characters, control characters escaped, so
   * that a hostile name can neither flood a log nor forge a log line.
   */
  public static String shown(String value) {
    return shown(value, MAX_LENGTH);
  }

  /** {@link #shown(String)}, with at most {@code max} characters shown. */
  public static String shown(String value, int max) {
    if (value == null) {
      return "none";
    }
    StringBuilder out = new StringBuilder("'");
    int n = Math.min(value.length(), max);
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    out.append('\'');
    if (value.length() > n) {
      out.append(" (").append(value.length()).append(" characters)");
    }
    return out.toString();
  }
}
