package io.gemba.jobs.live;

/** A message for a live MQTT topic; retained messages greet new subscribers with the latest. */
public record LiveMessage(String topic, byte[] payload, boolean retained) {}
