package io.gemba.jobs.functions;

import io.gemba.model.asset.Park;
import io.gemba.model.config.YamlConfigLoader;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * The park file's text, shipped with the job graph; operators parse it when they open. The text is
 * validated once when the job is built, so a bad park file fails at submission, not in a task.
 */
public record ParkSpec(String source, String yaml) implements Serializable {

  public static ParkSpec of(Path file, String yaml) {
    ParkSpec spec = new ParkSpec(file.toString(), yaml);
    spec.park();
    return spec;
  }

  public Park park() {
    return new YamlConfigLoader().parse(Path.of(source), yaml, Park.class);
  }
}
