package io.gemba.jobs.mqtt;

/** One MQTT message as the source read it, with the time it arrived. */
public record MqttRecord(String topic, byte[] payload, long receivedAt) {}
