package io.gemba.edge.southbound.mqtt;

import com.fasterxml.jackson.core.JsonPointer;
import io.gemba.model.config.InvalidFieldException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The subset of JSONPath that addresses one value: {@code $.motor.current}, {@code $.axes[2].load},
 * {@code $['motor current']}. It compiles to a Jackson {@link JsonPointer}.
 */
public final class JsonPath {

  private static final Pattern STEP =
      Pattern.compile("\\.([A-Za-z_][A-Za-z0-9_-]*)|\\[(\\d+)]|\\['([^']+)']");

  private JsonPath() {}

  /**
   * Compiles {@code path}.
   *
   * @throws InvalidFieldException naming {@code field} when the path is not of the supported form
   */
  public static JsonPointer compile(String field, String path) {
    if (path == null || !path.startsWith("$") || path.length() < 2) {
      throw new InvalidFieldException(
          field, "expected a JSON path like $.motor.current or $.axes[0].load, got '" + path + "'");
    }
    StringBuilder pointer = new StringBuilder();
    Matcher m = STEP.matcher(path);
    int at = 1;
    while (at < path.length()) {
      if (!m.find(at) || m.start() != at) {
        throw new InvalidFieldException(
            field,
            "expected a JSON path like $.motor.current or $.axes[0].load; cannot read '"
                + path.substring(at)
                + "' in '"
                + path
                + "'");
      }
      String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
      pointer.append('/').append(name.replace("~", "~0").replace("/", "~1"));
      at = m.end();
    }
    return JsonPointer.compile(pointer.toString());
  }
}
