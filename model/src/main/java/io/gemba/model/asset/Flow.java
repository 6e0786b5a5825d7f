package io.gemba.model.asset;

import io.gemba.model.config.InvalidFieldException;

/**
 * A line whose machines form one flow, in the order the park file lists them: each passes its good
 * parts on to the next through a buffer of {@code buffer} parts. A stopped machine then starves the
 * machines after it once their buffers run empty, and blocks the machines before it once their
 * buffers are full. Read by the simulators.
 *
 * @param buffer parts the conveyor between two machines holds, 1 to 10,000
 */
public record Flow(int buffer) {
  public Flow {
    if (buffer < 1 || buffer > 10_000) {
      throw new InvalidFieldException(
          "buffer", "expected a number of parts from 1 to 10000, got " + buffer);
    }
  }
}
