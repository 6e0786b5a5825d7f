package io.gemba.model.envelope;

/**
 * A payload that is not a valid envelope. The message says which field was wrong and what was
 * expected; it is the only exception {@link EnvelopeCodec#decode} throws.
 */
public final class EnvelopeFormatException extends Exception {
  public EnvelopeFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
