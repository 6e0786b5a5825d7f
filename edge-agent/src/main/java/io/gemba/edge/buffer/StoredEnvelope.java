package io.gemba.edge.buffer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * How an envelope is kept in the buffer: its MQTT topic and its encoded payload, so that sending
 * needs no decoding. Layout: {@code [topicLength:short][topic UTF-8][payload]}.
 */
public record StoredEnvelope(String topic, byte[] payload) {

  public byte[] toBytes() {
    byte[] topicBytes = topic.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(2 + topicBytes.length + payload.length)
        .putShort((short) topicBytes.length)
        .put(topicBytes)
        .put(payload)
        .array();
  }

  public static StoredEnvelope fromBytes(byte[] record) {
    ByteBuffer buffer = ByteBuffer.wrap(record);
    byte[] topicBytes = new byte[Short.toUnsignedInt(buffer.getShort())];
    buffer.get(topicBytes);
    byte[] payload = new byte[buffer.remaining()];
    buffer.get(payload);
    return new StoredEnvelope(new String(topicBytes, StandardCharsets.UTF_8), payload);
  }
}
