package io.gemba.jobs.mqtt;

import org.apache.flink.api.connector.source.SourceSplit;

/**
 * One subscription of the source. Each reader gets one split and subscribes as a member of the same
 * shared subscription, so the broker spreads messages over the readers.
 */
public record MqttSplit(String splitId) implements SourceSplit {}
