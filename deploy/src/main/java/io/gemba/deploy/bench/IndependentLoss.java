package io.gemba.deploy.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Loss counted without the platform's help: the signal values the simulators' OPC UA machines
 * exposed (their own count, {@code exposed_values} lines of the ground-truth log) against the
 * values stored in InfluxDB, per machine, over whole minutes of source time. A positive difference
 * is values that never reached storage, whatever the sequence numbers say (including values the OPC
 * UA sampling could not see, which a plant would miss as well); a negative one is values stored
 * that no machine exposed.
 */
public final class IndependentLoss {

  private IndependentLoss() {}

  /** Per machine, the values exposed in the minutes from {@code fromMs} to {@code toMs}. */
  public static Map<String, Long> exposed(Path truthLog, long fromMs, long toMs) {
    ObjectMapper mapper = new ObjectMapper();
    Map<String, Long> out = new TreeMap<>();
    try (var lines = Files.lines(truthLog)) {
      lines.forEach(
          line -> {
            try {
              JsonNode node = mapper.readTree(line);
              if (!"exposed_values".equals(node.path("kind").asText())) {
                return;
              }
              long start = Instant.parse(node.get("start").asText()).toEpochMilli();
              if (start >= fromMs && start < toMs) {
                out.merge(node.get("machine").asText(), node.get("count").asLong(), Long::sum);
              }
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + truthLog, e);
    }
    return out;
  }

  /** The InfluxQL that counts the values stored for {@code machines} in the same minutes. */
  public static String storedQuery(List<String> machines, long fromMs, long toMs) {
    return "SELECT count(value) FROM telemetry WHERE time >= "
        + fromMs
        + "ms AND time < "
        + toMs
        + "ms AND ("
        + String.join(" OR ", machines.stream().map(m -> "machine = '" + m + "'").toList())
        + ")";
  }

  /** Exposed minus stored, summed over the machines. */
  public static long lost(Map<String, Long> exposed, long stored) {
    return exposed.values().stream().mapToLong(Long::longValue).sum() - stored;
  }
}
