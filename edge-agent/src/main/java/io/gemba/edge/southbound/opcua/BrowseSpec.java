package io.gemba.edge.southbound.opcua;

import io.gemba.model.config.InvalidFieldException;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Signals found by browsing the server instead of listing node ids: every numeric or boolean
 * variable under an object, matched by name. The signal name is the variable's browse path below
 * the object in snake_case ({@code Spindle/Speed} and {@code Spindle.Speed} both become {@code
 * spindle_speed}), after an optional prefix.
 *
 * @param root the object to browse, as a NodeId ({@code ns=2;s=cnc-07}); or
 * @param path its browse path from the Objects folder, browse names separated by {@code /}, each
 *     optionally with its namespace index ({@code Machines/cnc-07} or {@code 2:Machines/2:cnc-07})
 * @param include globs over the relative browse path ({@code *} within one level, {@code **} across
 *     levels, {@code ?} one character); default everything
 * @param exclude globs of variables to leave out
 * @param prefix prepended to every signal name found here
 * @param maxDepth levels below the object to descend (default 4)
 * @param samplingMs sampling interval of every variable found (default 100)
 * @param deadband applied to every variable found
 */
public record BrowseSpec(
    String root,
    String path,
    List<String> include,
    List<String> exclude,
    String prefix,
    Integer maxDepth,
    Integer samplingMs,
    Deadband deadband) {
  public BrowseSpec {
    if ((root == null) == (path == null)) {
      throw new InvalidFieldException(
          "root",
          "expected exactly one of root (a NodeId like \"ns=2;s=cnc-07\") or path (browse names"
              + " from Objects, like \"Machines/cnc-07\")");
    }
    if (root != null) {
      NodeIds.require("root", root);
    }
    if (path != null && (path.isBlank() || path.startsWith("/") || path.contains("//"))) {
      throw new InvalidFieldException(
          "path",
          "expected browse names separated by '/', like Machines/cnc-07, got '" + path + "'");
    }
    include = include == null || include.isEmpty() ? List.of("**") : List.copyOf(include);
    exclude = exclude == null ? List.of() : List.copyOf(exclude);
    for (int i = 0; i < include.size(); i++) {
      glob("include[" + i + "]", include.get(i));
    }
    for (int i = 0; i < exclude.size(); i++) {
      glob("exclude[" + i + "]", exclude.get(i));
    }
    if (prefix != null && !prefix.matches("[a-z][a-z0-9_]*")) {
      throw new InvalidFieldException("prefix", "expected snake_case, got '" + prefix + "'");
    }
    maxDepth = maxDepth == null ? 4 : maxDepth;
    if (maxDepth < 1 || maxDepth > 16) {
      throw new InvalidFieldException("maxDepth", "expected 1 to 16, got " + maxDepth);
    }
    samplingMs = samplingMs == null ? 100 : samplingMs;
    if (samplingMs < 0) {
      throw new InvalidFieldException("samplingMs", "expected 0 or more, got " + samplingMs);
    }
  }

  /** True when the relative browse path is included and not excluded. */
  public boolean matches(String relativePath) {
    return include.stream().anyMatch(g -> glob("include", g).matcher(relativePath).matches())
        && exclude.stream().noneMatch(g -> glob("exclude", g).matcher(relativePath).matches());
  }

  /** A glob as a regular expression: {@code **} any text, {@code *} within a level, {@code ?}. */
  static Pattern glob(String field, String glob) {
    if (glob == null || glob.isBlank()) {
      throw new InvalidFieldException(field, "expected a name pattern like Spindle.*");
    }
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        regex.append(".*");
        i++;
      } else if (c == '*') {
        regex.append("[^/]*");
      } else if (c == '?') {
        regex.append("[^/]");
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    try {
      return Pattern.compile(regex.toString());
    } catch (PatternSyntaxException e) {
      throw new InvalidFieldException(field, "cannot read pattern '" + glob + "'");
    }
  }
}
