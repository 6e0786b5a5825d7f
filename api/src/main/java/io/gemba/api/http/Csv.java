package io.gemba.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CSV export of list responses: {@code format=csv}, or {@code Accept: text/csv}. The columns are
 * the JSON fields of the rows, nested objects flattened with a dot ({@code lossesMs.smallStop}).
 *
 * <p>A text cell that a spreadsheet would run as a formula (it starts with {@code =}, {@code +},
 * {@code -}, {@code @}, a tab or a carriage return: a stop reason a machine sent, say) gets a
 * leading apostrophe, so that opening the export runs nothing. Numbers stay numbers.
 */
final class Csv {

  private static final CsvMapper MAPPER = new CsvMapper();

  private Csv() {}

  /** Whether the client asked for CSV; {@code format} other than json or csv is a 400. */
  static boolean wanted(RoutingContext ctx) {
    String format = ctx.request().getParam("format");
    if (format != null) {
      return switch (format) {
        case "csv" -> true;
        case "json" -> false;
        default ->
            throw Problem.badParameter("format", "expected json or csv, got '" + format + "'");
      };
    }
    String accept = ctx.request().getHeader("Accept");
    return accept != null && accept.contains("text/csv") && !accept.contains("application/json");
  }

  /** Sends {@code rows} as CSV, with a header line, as {@code name}.csv. */
  static void send(RoutingContext ctx, String name, JsonArray rows) {
    List<Map<String, Object>> flat = new ArrayList<>();
    List<String> columns = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      Map<String, Object> row = new LinkedHashMap<>();
      flatten("", rows.getJsonObject(i), row);
      row.keySet().stream().filter(k -> !columns.contains(k)).forEach(columns::add);
      flat.add(row);
    }
    CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
    columns.forEach(schema::addColumn);
    String body;
    try {
      body = MAPPER.writer(schema.build()).writeValueAsString(flat);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write CSV", e);
    }
    ctx.response()
        .putHeader("Content-Type", "text/csv; charset=utf-8")
        .putHeader("Content-Disposition", "attachment; filename=\"" + name + ".csv\"")
        .end(body);
  }

  private static void flatten(String prefix, JsonObject object, Map<String, Object> out) {
    for (String key : object.fieldNames()) {
      Object value = object.getValue(key);
      if (value instanceof JsonObject nested) {
        flatten(prefix + key + ".", nested, out);
      } else if (value instanceof String text) {
        out.put(prefix + key, neutralised(text));
      } else if (!(value instanceof JsonArray)) {
        out.put(prefix + key, value);
      }
    }
  }

  /** {@code text}, with an apostrophe before it when a spreadsheet would take it for a formula. */
  static String neutralised(String text) {
    if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
      return "'" + text;
    }
    return text;
  }
}
