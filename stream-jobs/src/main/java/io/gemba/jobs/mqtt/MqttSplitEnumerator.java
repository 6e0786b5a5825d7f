package io.gemba.jobs.mqtt;

import java.util.List;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

/** Gives every reader that registers its own subscription split. */
final class MqttSplitEnumerator implements SplitEnumerator<MqttSplit, MqttEnumeratorState> {

  private final SplitEnumeratorContext<MqttSplit> context;

  MqttSplitEnumerator(SplitEnumeratorContext<MqttSplit> context) {
    this.context = context;
  }

  @Override
  public void start() {}

  @Override
  public void handleSplitRequest(int subtaskId, String requesterHostname) {}

  @Override
  public void addSplitsBack(List<MqttSplit> splits, int subtaskId) {
    // The failed reader's replacement registers again and is given its split in addReader.
  }

  @Override
  public void addReader(int subtaskId) {
    context.assignSplit(new MqttSplit("mqtt-" + subtaskId), subtaskId);
  }

  @Override
  public MqttEnumeratorState snapshotState(long checkpointId) {
    return new MqttEnumeratorState();
  }

  @Override
  public void close() {}
}
