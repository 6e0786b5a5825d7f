package io.gemba.model.config;

/**
 * Thrown by the compact constructor of a configuration record when one field holds a value that
 * cannot be used. It names the field relative to the record, so the loader can prefix the path of
 * the record inside the file.
 */
public final class InvalidFieldException extends IllegalArgumentException {

  private final String field;
  private final String expected;

  public InvalidFieldException(String field, String expected) {
    super(field + ": " + expected);
    this.field = field;
    this.expected = expected;
  }

  /** The field name inside its record, e.g. {@code idealCycleSeconds}. */
  public String field() {
    return field;
  }

  /** What was expected, in words a user can act on. */
  public String expected() {
    return expected;
  }

  /** Fails with a message naming {@code field} when {@code value} is null or blank. */
  public static String requireText(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new InvalidFieldException(field, "expected a non-empty value");
    }
    return value;
  }

  /** Fails unless {@code value} is an id as {@link Names#requireId} defines it. */
  public static String requireId(String field, String value) {
    requireText(field, value);
    return Names.requireId(field, value);
  }
}
