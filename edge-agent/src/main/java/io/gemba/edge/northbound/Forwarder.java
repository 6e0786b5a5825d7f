package io.gemba.edge.northbound;

import io.gemba.edge.buffer.SegmentLog;
import io.gemba.edge.buffer.StoredEnvelope;
import io.gemba.edge.metrics.EdgeMetrics;
import io.gemba.model.envelope.Envelope;
import io.gemba.model.envelope.EnvelopeCodec;
import io.gemba.model.envelope.Topics;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Store-and-forward: {@link #store} writes what the batcher packed into the disk buffer (and syncs
 * it), {@link #sendOnce} sends the oldest unacknowledged envelopes and releases them from the
 * buffer only after the broker acknowledged them. Both keep the buffer's order, which is the order
 * of the gateway's sequence numbers, so per-machine order survives outages and restarts.
 */
public final class Forwarder {

  private static final Logger log = LoggerFactory.getLogger(Forwarder.class);

  private final EnvelopeBatcher batcher;
  private final SegmentLog buffer;
  private final MqttUplink uplink;
  private final EdgeMetrics metrics;
  private final boolean fsync;
  private final int window;
  private final EnvelopeCodec codec = new EnvelopeCodec();
  private volatile Consumer<List<Envelope>> liveOutput = envelopes -> {};

  public Forwarder(
      EnvelopeBatcher batcher,
      SegmentLog buffer,
      MqttUplink uplink,
      EdgeMetrics metrics,
      boolean fsync,
      int window) {
    this.batcher = batcher;
    this.buffer = buffer;
    this.uplink = uplink;
    this.metrics = metrics;
    this.fsync = fsync;
    this.window = window;
  }

  /**
   * Also hands every stored envelope to {@code output} (the Sparkplug output), which must not
   * block.
   */
  public void alsoTo(Consumer<List<Envelope>> output) {
    this.liveOutput = output;
  }

  /** Packs the readings since the last call and stores them; returns how many envelopes. */
  public int store() {
    List<Envelope> envelopes = batcher.flush();
    for (Envelope envelope : envelopes) {
      buffer.append(
          new StoredEnvelope(Topics.telemetry(envelope.machine()), codec.encode(envelope))
              .toBytes());
      metrics.envelopeBuffered();
    }
    if (!envelopes.isEmpty() && fsync) {
      buffer.sync();
    }
    if (!envelopes.isEmpty()) {
      liveOutput.accept(envelopes);
    }
    return envelopes.size();
  }

  /**
   * Sends one window of the oldest unacknowledged envelopes.
   *
   * @return how many were acknowledged; 0 when there was nothing to send or the broker is away
   */
  public int sendOnce() {
    List<SegmentLog.Entry> entries = buffer.read(buffer.firstUnacked(), window);
    if (entries.isEmpty() || !uplink.ensureConnected()) {
      return 0;
    }
    List<StoredEnvelope> envelopes =
        entries.stream().map(e -> StoredEnvelope.fromBytes(e.payload())).toList();
    int acknowledged = uplink.publish(envelopes);
    if (acknowledged > 0) {
      buffer.ackThrough(entries.get(acknowledged - 1).index());
      metrics.envelopesSent(acknowledged);
    }
    if (acknowledged < entries.size()) {
      metrics.publishFailed();
      log.debug(
          "publish round incomplete acknowledged={} of={} buffered={}",
          acknowledged,
          entries.size(),
          buffer.depth());
    }
    return acknowledged;
  }

  public boolean hasBacklog() {
    return buffer.depth() > 0;
  }
}
