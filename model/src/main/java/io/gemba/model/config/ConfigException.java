package io.gemba.model.config;

import java.nio.file.Path;

/**
 * A configuration file that cannot be used. The message names the file, the path of the field
 * inside it (e.g. {@code park.factories[0].lines[1].machines[0].idealCycleSeconds}) and what was
 * expected, so that an operator can fix the file without reading code.
 */
public final class ConfigException extends RuntimeException {

  private final Path file;
  private final String fieldPath;

  public ConfigException(Path file, String fieldPath, String problem, Throwable cause) {
    super(file + ": " + (fieldPath.isEmpty() ? "" : fieldPath + ": ") + problem, cause);
    this.file = file;
    this.fieldPath = fieldPath;
  }

  public Path file() {
    return file;
  }

  /** Dotted path of the offending field, empty when the file as a whole is unusable. */
  public String fieldPath() {
    return fieldPath;
  }
}
