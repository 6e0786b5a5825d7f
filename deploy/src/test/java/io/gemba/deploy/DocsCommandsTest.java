package io.gemba.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemba.api.ApiCommand;
import io.gemba.edge.EdgeAgentCommand;
import io.gemba.jobs.KpiJobCommand;
import io.gemba.services.plant.PlantSecretsCommand;
import io.gemba.sim.SimulatorsCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command line the README and docs/ show (in code blocks and in inline code) is one its
 * program accepts as written: its subcommand exists, every option is known, nothing required is
 * missing. Each program parses it with its own picocli definition; optional parts shown in brackets
 * are taken as given.
 */
class DocsCommandsTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private static final Map<String, Supplier<Object>> PROGRAMS =
      Map.of(
          "deploy/bin/api", ApiCommand::new,
          "deploy/bin/edge-agent", EdgeAgentCommand::new,
          "deploy/bin/kpi-job", KpiJobCommand::new,
          "deploy/bin/simulators", SimulatorsCommand::new,
          "deploy/bin/plant-secrets", PlantSecretsCommand::new,
          "deploy/demo.sh", DemoCommand::new);

  /** A command line as a doc shows it, with where. */
  record Shown(String where, String line) {}

  private static final Pattern INLINE =
      Pattern.compile("`((?:deploy/bin/|deploy/demo\\.sh)[^`]*)`");

  static List<Shown> shownCommands() throws IOException {
    List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
    }
    List<Shown> out = new ArrayList<>();
    for (Path file : files) {
      List<String> lines = Files.readAllLines(file);
      boolean fence = false;
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        String where = ROOT.relativize(file) + ":" + (i + 1);
        if (line.strip().startsWith("```")) {
          fence = !fence;
          continue;
        }
        if (fence) {
          String command = line.strip();
          while (command.endsWith("\\") && i + 1 < lines.size()) {
            command = command.substring(0, command.length() - 1) + " " + lines.get(++i).strip();
          }
          if (command.startsWith("deploy/bin/") || command.startsWith("deploy/demo.sh")) {
            out.add(new Shown(where, command));
          }
        } else {
          Matcher m = INLINE.matcher(line);
          while (m.find()) {
            // Prose that names a program or an option ("`deploy/bin/kpi-job`", "`edge-agent
            // run --config`") shows no command: a command line gives its options' values.
            if (m.group(1).contains(" --") && !m.group(1).matches(".*\\s--[a-z-]+$")) {
              out.add(new Shown(where, m.group(1)));
            }
          }
        }
      }
    }
    return out;
  }

  /** Shell words of a line, up to a comment or another command. */
  static List<String> words(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else if ((c == '#' && !inWord) || c == '|' || c == ';' || c == '&' || c == '>') {
        break;
      } else if (c == '[' || c == ']') {
        // an optional part, shown in brackets: taken as given
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }

  @Test
  void everyCommandLineTheDocsShow_isAcceptedByItsProgram() throws Exception {
    List<Shown> shown = shownCommands();
    assertThat(shown.stream().map(Shown::line))
        .as("the docs show commands of every program")
        .anyMatch(l -> l.startsWith("deploy/bin/api token"))
        .anyMatch(l -> l.startsWith("deploy/bin/plant-secrets"))
        .anyMatch(l -> l.startsWith("deploy/bin/kpi-job"))
        .anyMatch(l -> l.startsWith("deploy/bin/edge-agent"))
        .anyMatch(l -> l.startsWith("deploy/demo.sh"));
    List<String> refused = new ArrayList<>();
    int checked = 0;
    for (Shown s : shown) {
      List<String> words = words(s.line());
      String program = words.get(0);
      List<String> args = words.subList(1, words.size());
      if (program.equals("deploy/bin/flink-cluster")) {
        // A shell script: its subcommand, and the job's own options after "--".
        if (!List.of("start", "submit", "status", "stop")
            .contains(args.isEmpty() ? "" : args.get(0))) {
          refused.add(s.where() + ": " + s.line() + ": unknown subcommand");
        }
        int dashes = args.indexOf("--");
        if (dashes >= 0) {
          refused.addAll(parse(s, KpiJobCommand::new, args.subList(dashes + 1, args.size())));
        }
        checked++;
        continue;
      }
      Supplier<Object> command = PROGRAMS.get(program);
      if (command == null) {
        continue; // require-packages and the like take no options
      }
      refused.addAll(parse(s, command, args));
      checked++;
    }
    assertThat(refused).as("command lines the docs show that their program refuses").isEmpty();
    assertThat(checked).isGreaterThan(15);
  }

  private static List<String> parse(Shown s, Supplier<Object> command, List<String> args) {
    try {
      new CommandLine(command.get()).parseArgs(args.toArray(String[]::new));
      return List.of();
    } catch (CommandLine.ParameterException e) {
      return List.of(s.where() + ": " + s.line() + ": " + e.getMessage());
    }
  }

  @Test
  void theParsingCanRefuse() {
    Shown wrong = new Shown("here", "deploy/bin/api token --park P --users U");
    assertThat(parse(wrong, ApiCommand::new, words(wrong.line()).subList(1, 6)))
        .singleElement()
        .asString()
        .contains("--user");
    assertThat(
            parse(
                wrong,
                KpiJobCommand::new,
                List.of("--park", "p.yaml", "--mqtt", "m", "--influx", "i", "--no-such-option")))
        .singleElement()
        .asString()
        .contains("no-such-option");
    assertThat(words("deploy/bin/api token --user 'li wei' [--days 30]  # comment"))
        .containsExactly("deploy/bin/api", "token", "--user", "li wei", "--days", "30");
  }
}
