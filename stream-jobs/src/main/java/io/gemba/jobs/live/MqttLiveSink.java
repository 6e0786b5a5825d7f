package io.gemba.jobs.live;

import io.gemba.connect.BrokerEndpoint;
import io.gemba.connect.MqttConnect;
import java.io.IOException;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes job results to live MQTT topics at QoS 1, for dashboards and other subscribers. Live
 * topics are the fast path, not the record: InfluxDB is. So a message the broker does not take
 * (broker down, reconnecting) is dropped and counted ({@code liveMessagesDropped}) rather than
 * holding the job back.
 */
public final class MqttLiveSink<T> implements Sink<T> {

  private final BrokerEndpoint broker;
  private final String clientId;
  private final MessageMapper<T> mapper;

  /**
   * @param clientId prefix of the writers' client ids; the subtask index is appended
   */
  public MqttLiveSink(BrokerEndpoint broker, String clientId, MessageMapper<T> mapper) {
    this.broker = broker;
    this.clientId = clientId;
    this.mapper = mapper;
  }

  @Override
  public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
    return new Writer<>(
        broker,
        clientId + "-" + context.getTaskInfo().getIndexOfThisSubtask(),
        mapper,
        context.metricGroup().counter("liveMessagesDropped"));
  }

  private static final class Writer<T> implements SinkWriter<T> {

    private static final Logger log = LoggerFactory.getLogger(MqttLiveSink.class);

    private final MqttClient client;
    private final MessageMapper<T> mapper;
    private final Counter dropped;

    Writer(BrokerEndpoint broker, String clientId, MessageMapper<T> mapper, Counter dropped)
        throws IOException {
      this.mapper = mapper;
      this.dropped = dropped;
      try {
        client = new MqttClient(broker.broker(), clientId, new MemoryPersistence());
        MqttConnectionOptions options = MqttConnect.options(broker, "--mqtt-ca");
        options.setAutomaticReconnect(true);
        options.setAutomaticReconnectDelay(1, 10);
        options.setCleanStart(true);
        client.connect(options);
      } catch (MqttException e) {
        throw new IOException(
            "live MQTT sink cannot connect to "
                + broker.broker()
                + " (user "
                + broker.username()
                + "): "
                + e,
            e);
      }
    }

    @Override
    public void write(T element, Context context) {
      LiveMessage m = mapper.toMessage(element);
      if (!client.isConnected()) {
        dropped.inc();
        return;
      }
      try {
        client.publish(m.topic(), m.payload(), 1, m.retained());
      } catch (MqttException e) {
        dropped.inc();
        log.debug("live message dropped topic={} reason={}", m.topic(), e.getMessage());
      }
    }

    @Override
    public void flush(boolean endOfInput) {}

    @Override
    public void close() throws Exception {
      try {
        if (client.isConnected()) {
          client.disconnect(1_000);
        }
      } finally {
        client.close(true);
      }
    }
  }
}
