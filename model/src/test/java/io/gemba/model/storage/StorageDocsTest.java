package io.gemba.model.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/storage.md describes the storage contract that {@link Schema} defines: the same
 * measurements, in the same order, and every tag and field name. A name renamed in the contract and
 * not on the page (or the other way round) fails here.
 */
class StorageDocsTest {

  private static final Path PAGE = Path.of("..", "docs", "storage.md");

  private static List<String> tableRows() throws Exception {
    List<String> rows = new ArrayList<>();
    boolean inTable = false;
    for (String line : Files.readAllLines(PAGE)) {
      if (line.startsWith("| measurement |")) {
        inTable = true;
      } else if (inTable && line.startsWith("|") && !line.startsWith("|---")) {
        rows.add(line);
      } else if (inTable && !line.startsWith("|")) {
        break;
      }
    }
    return rows;
  }

  private static Set<String> names(String text) {
    Set<String> out = new LinkedHashSet<>();
    Matcher m = Pattern.compile("`([a-z0-9_]+)`").matcher(text);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  @Test
  void thePageListsTheMeasurementsOfTheContract_inItsOrder() throws Exception {
    List<String> measurements = new ArrayList<>();
    for (String row : tableRows()) {
      measurements.add(names(row.split("\\|")[1]).iterator().next());
    }
    assertThat(measurements).containsExactlyElementsOf(Schema.MEASUREMENTS);
  }

  @Test
  void everyNameOfTheContract_isOnThePage() throws Exception {
    // The table, and the sections it links to for the state times and losses.
    Set<String> documented = names(Files.readString(PAGE));
    List<String> missing = new ArrayList<>();
    for (Field f : Schema.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        String name = (String) f.get(null);
        if (!documented.contains(name)) {
          missing.add(f.getName() + " = " + name);
        }
      }
    }
    assertThat(missing).as("names of Schema not in docs/storage.md").isEmpty();
  }
}
