package io.gemba.model.envelope;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.gemba.model.config.InvalidFieldException;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * JSON codec of the telemetry envelope. Decoding is strict (unknown fields, missing required
 * fields, wrong types and payloads over {@link #MAX_PAYLOAD_BYTES} are rejected) because a message
 * that is accepted is accounted; a message that cannot be understood must be rejected loudly, with
 * its reason, instead.
 */
public final class EnvelopeCodec {

  /** Largest payload accepted; larger ones are rejected before parsing. */
  public static final int MAX_PAYLOAD_BYTES = 256 * 1024;

  private final ObjectMapper mapper;

  public EnvelopeCodec() {
    JsonMapper.Builder builder =
        JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    this.mapper = builder.build();
    mapper
        .getFactory()
        .setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).build());
  }

  public byte[] encode(Envelope envelope) {
    try {
      return mapper.writeValueAsBytes(envelope);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("envelope could not be encoded", e);
    }
  }

  /**
   * Decodes one payload.
   *
   * @throws EnvelopeFormatException naming the offending field and what was expected
   */
  public Envelope decode(byte[] payload) throws EnvelopeFormatException {
    if (payload == null || payload.length == 0) {
      throw new EnvelopeFormatException("empty payload, expected a JSON envelope", null);
    }
    if (payload.length > MAX_PAYLOAD_BYTES) {
      throw new EnvelopeFormatException(
          "payload of " + payload.length + " bytes exceeds the limit of " + MAX_PAYLOAD_BYTES,
          null);
    }
    try {
      return mapper.readValue(payload, Envelope.class);
    } catch (JsonMappingException e) {
      throw new EnvelopeFormatException(describe(e), e);
    } catch (IOException | RuntimeException e) {
      throw new EnvelopeFormatException("not valid JSON: " + e.getMessage(), e);
    }
  }

  private static String describe(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      } else if (ref.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
      }
    }
    String problem =
        e instanceof ValueInstantiationException && e.getCause() != null
            ? e.getCause().getMessage()
            : e.getOriginalMessage();
    if (e.getCause() instanceof InvalidFieldException field) {
      String full = path.length() == 0 ? field.field() : path + "." + field.field();
      return full + ": " + field.expected();
    }
    return (path.length() == 0 ? "envelope" : path.toString()) + ": " + firstLine(problem);
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "invalid";
    }
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
