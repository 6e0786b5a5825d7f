package io.gemba.sim.truth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gemba.model.asset.MachinePlacement;
import io.gemba.model.asset.Park;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Answers "what was the true OEE" from a ground-truth log: sums the {@code oee_minute} lines of a
 * time range per machine, line, factory or park into {@link TruthSums} — times and counts first,
 * figures last, never an average of ratios — as the platform's rollups do.
 */
public final class TruthQuery {

  /** What the minutes are grouped by. */
  public enum Level {
    MACHINE,
    LINE,
    FACTORY,
    PARK
  }

  /** The summed truth of one group. */
  public record Row(String group, TruthSums totals) {

    Row plus(JsonNode minute) {
      long total = minute.path("total").asLong();
      long good = minute.path("good").asLong();
      double ideal = minute.path("idealCycleMs").asDouble();
      JsonNode t = minute.path("times");
      return new Row(
          group,
          totals.add(
              new TruthSums(
                  minute.path("plannedMs").asLong(),
                  minute.path("runMs").asLong(),
                  minute.path("knownPlannedMs").asLong(),
                  total,
                  good,
                  ideal * total,
                  ideal * good,
                  t.path("producingMs").asLong(),
                  t.path("idleMs").asLong(),
                  t.path("downMs").asLong(),
                  t.path("setupMs").asLong(),
                  t.path("plannedStopMs").asLong(),
                  t.path("smallStopMs").asLong())));
    }
  }

  private final ObjectMapper mapper = new ObjectMapper();

  /**
   * Sums the minutes that lie inside {@code [from, to)}.
   *
   * @param park needed for every level but {@link Level#MACHINE}; machines not in it are skipped
   * @throws IOException when the log cannot be read
   * @throws IllegalArgumentException naming the line of the log that is not ground truth
   */
  public List<Row> summarize(Path log, Park park, Level level, Instant from, Instant to)
      throws IOException {
    Function<String, String> groupOf = groups(park, level);
    Map<String, Row> rows = new TreeMap<>();
    try (BufferedReader reader = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
      String text;
      int number = 0;
      while ((text = reader.readLine()) != null) {
        number++;
        if (text.isBlank()) {
          continue;
        }
        JsonNode line;
        try {
          line = mapper.readTree(text);
        } catch (IOException e) {
          throw new IllegalArgumentException(
              log + ":" + number + ": expected a JSON line of ground truth: " + e.getMessage());
        }
        if (!"oee_minute".equals(line.path("kind").asText())) {
          continue;
        }
        Instant start = Instant.parse(line.path("start").asText());
        Instant end = Instant.parse(line.path("end").asText());
        if (start.isBefore(from) || end.isAfter(to)) {
          continue;
        }
        String group = groupOf.apply(line.path("machine").asText());
        if (group == null) {
          continue;
        }
        rows.compute(
            group, (g, row) -> (row == null ? new Row(g, TruthSums.ZERO) : row).plus(line));
      }
    }
    return List.copyOf(rows.values());
  }

  private static Function<String, String> groups(Park park, Level level) {
    if (level == Level.MACHINE) {
      return machine -> machine;
    }
    if (park == null) {
      throw new IllegalArgumentException(
          "--by " + level.name().toLowerCase(Locale.ROOT) + ": expected --park too");
    }
    Map<String, String> groupOf = new LinkedHashMap<>();
    for (MachinePlacement p : park.placements()) {
      String group =
          switch (level) {
            case LINE -> p.factory().id() + "/" + p.line().id();
            case FACTORY -> p.factory().id();
            case PARK -> park.id();
            case MACHINE -> p.machine().id();
          };
      groupOf.put(p.machine().id(), group);
    }
    return groupOf::get;
  }

  /** The rows as an aligned text table, figures as percentages. */
  public static String table(List<Row> rows) {
    StringBuilder out = new StringBuilder();
    String format = "%-28s %10s %10s %8s %8s %7s %7s %7s %7s %9s%n";
    out.append(
        String.format(
            Locale.ROOT,
            format,
            "group",
            "planned_h",
            "run_h",
            "total",
            "good",
            "avail",
            "perf",
            "quality",
            "oee",
            "coverage"));
    for (Row r : rows) {
      TruthSums t = r.totals();
      out.append(
          String.format(
              Locale.ROOT,
              format,
              r.group(),
              String.format(Locale.ROOT, "%.2f", t.plannedMs() / 3_600_000.0),
              String.format(Locale.ROOT, "%.2f", t.runMs() / 3_600_000.0),
              t.totalCount(),
              t.goodCount(),
              percent(t.availability()),
              percent(t.performance()),
              percent(t.quality()),
              percent(t.oee()),
              percent(t.coverage())));
    }
    return out.toString();
  }

  private static String percent(double value) {
    return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.1f%%", value * 100);
  }
}
