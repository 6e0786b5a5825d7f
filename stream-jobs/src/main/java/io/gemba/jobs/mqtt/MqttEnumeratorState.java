package io.gemba.jobs.mqtt;

import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * The enumerator keeps no state: splits are derived from reader indexes and reassigned whenever a
 * reader registers. This is its checkpoint form.
 */
public record MqttEnumeratorState() {

  static final class Serializer implements SimpleVersionedSerializer<MqttEnumeratorState> {
    @Override
    public int getVersion() {
      return 1;
    }

    @Override
    public byte[] serialize(MqttEnumeratorState state) {
      return new byte[0];
    }

    @Override
    public MqttEnumeratorState deserialize(int version, byte[] serialized) {
      return new MqttEnumeratorState();
    }
  }
}
