package io.gemba.edge.southbound;

import io.gemba.model.config.InvalidFieldException;
import io.gemba.model.envelope.Counter;
import java.util.function.BiConsumer;

/**
 * The rules every machine source's part counters share, whatever names them (a node, a JSON path, a
 * Sparkplug metric, a register): a total, exactly one of good or rejected parts, and an optional
 * modulus at which they wrap.
 */
public final class PartCounters {

  private PartCounters() {}

  /**
   * Checks the counters' fields; {@code where} checks the reference of one field (its name first)
   * and throws {@link InvalidFieldException} naming it.
   */
  public static <T> void require(
      T total, T good, T reject, Long rollover, BiConsumer<String, T> where) {
    if (total == null) {
      throw new InvalidFieldException("total", "expected the total part counter");
    }
    where.accept("total", total);
    if ((good == null) == (reject == null)) {
      throw new InvalidFieldException(
          "good", "expected exactly one of good (good parts) or reject (rejected parts)");
    }
    where.accept(good != null ? "good" : "reject", good != null ? good : reject);
    if (rollover != null && rollover < 2) {
      throw new InvalidFieldException(
          "rollover", "expected a modulus of 2 or more, got " + rollover);
    }
  }

  /** Which counter the quality one is: good parts when given, else rejected parts. */
  public static Counter qualityCounter(Object good) {
    return good != null ? Counter.GOOD : Counter.REJECT;
  }
}
