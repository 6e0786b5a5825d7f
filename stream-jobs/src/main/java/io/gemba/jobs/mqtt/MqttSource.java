package io.gemba.jobs.mqtt;

import io.gemba.connect.BrokerEndpoint;
import java.time.Duration;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * An unbounded Flink source (FLIP-27) of MQTT v5 messages. Every parallel reader joins the shared
 * subscription {@code $share/<group>/<topicFilter>} at QoS 1, so adding parallelism spreads the
 * messages instead of duplicating them. Each reader keeps a persistent session (client id {@code
 * <group>-<subtask>}) and acknowledges a message only after the checkpoint covering it completed:
 * with checkpointing on, a failure redelivers instead of losing (at least once into the job, and
 * exactly once in its state, since a restore rewinds that state to the checkpoint). Without
 * checkpointing nothing is ever acknowledged and the broker stops at {@value
 * MqttSourceReader#RECEIVE_MAXIMUM} messages in flight.
 */
public final class MqttSource implements Source<MqttRecord, MqttSplit, MqttEnumeratorState> {

  private final BrokerEndpoint broker;
  private final String topicFilter;
  private final String group;
  private final Duration sessionExpiry;

  /**
   * @param group the shared-subscription group; also the prefix of the readers' client ids
   * @param sessionExpiry how long the broker keeps a reader's session, and queues its messages,
   *     while the job is away; the longest stop of the job that loses nothing
   */
  public MqttSource(
      BrokerEndpoint broker, String topicFilter, String group, Duration sessionExpiry) {
    this.broker = broker;
    this.topicFilter = topicFilter;
    this.group = group;
    this.sessionExpiry = sessionExpiry;
  }

  @Override
  public Boundedness getBoundedness() {
    return Boundedness.CONTINUOUS_UNBOUNDED;
  }

  @Override
  public SourceReader<MqttRecord, MqttSplit> createReader(SourceReaderContext context) {
    return new MqttSourceReader(broker, topicFilter, group, sessionExpiry, context);
  }

  @Override
  public SplitEnumerator<MqttSplit, MqttEnumeratorState> createEnumerator(
      SplitEnumeratorContext<MqttSplit> context) {
    return new MqttSplitEnumerator(context);
  }

  @Override
  public SplitEnumerator<MqttSplit, MqttEnumeratorState> restoreEnumerator(
      SplitEnumeratorContext<MqttSplit> context, MqttEnumeratorState checkpoint) {
    return new MqttSplitEnumerator(context);
  }

  @Override
  public SimpleVersionedSerializer<MqttSplit> getSplitSerializer() {
    return new MqttSplitSerializer();
  }

  @Override
  public SimpleVersionedSerializer<MqttEnumeratorState> getEnumeratorCheckpointSerializer() {
    return new MqttEnumeratorState.Serializer();
  }
}
