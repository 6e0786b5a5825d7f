package io.gemba.edge.northbound;

import io.gemba.model.envelope.Envelope;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves envelopes from the batcher to the broker in order. Envelopes wait in a bounded in-memory
 * queue while the broker is unreachable; when the queue is full the oldest envelope is dropped and
 * counted. (A disk-backed store-and-forward buffer replaces this queue for production gateways.)
 */
public final class Forwarder {

  private static final Logger log = LoggerFactory.getLogger(Forwarder.class);

  private final EnvelopeBatcher batcher;
  private final MqttUplink uplink;
  private final int capacity;
  private final Deque<Envelope> queue = new ArrayDeque<>();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();

  public Forwarder(EnvelopeBatcher batcher, MqttUplink uplink, int capacity) {
    this.batcher = batcher;
    this.uplink = uplink;
    this.capacity = capacity;
  }

  /** One round: take what was read, then send as much of the queue as the broker accepts. */
  public void runOnce() {
    List<Envelope> fresh = batcher.flush();
    for (Envelope envelope : fresh) {
      if (queue.size() >= capacity) {
        Envelope lost = queue.pollFirst();
        dropped.incrementAndGet();
        log.warn(
            "outbound queue full, dropped oldest envelope gateway={} seq={} capacity={}",
            lost.gateway(),
            lost.seq(),
            capacity);
      }
      queue.addLast(envelope);
    }
    if (queue.isEmpty() || !uplink.ensureConnected()) {
      return;
    }
    while (!queue.isEmpty()) {
      Envelope next = queue.peekFirst();
      try {
        uplink.publish(next);
      } catch (MqttException e) {
        log.warn(
            "publish failed, will retry seq={} queued={} reason={}",
            next.seq(),
            queue.size(),
            e.getMessage());
        return;
      }
      queue.pollFirst();
      sent.incrementAndGet();
    }
  }

  public long envelopesSent() {
    return sent.get();
  }

  public long envelopesDropped() {
    return dropped.get();
  }

  public int queued() {
    return queue.size();
  }
}
