package io.gemba.edge.northbound;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two threads that move readings north: one stores the open batches to the disk buffer every
 * {@code batchDelayMs}, the other sends what is buffered as soon as there is something (and retries
 * every half second while the broker is away).
 */
public final class ForwardingLoop {

  private static final Logger log = LoggerFactory.getLogger(ForwardingLoop.class);

  /** How long closing may spend sending what is left; the rest goes at the next start. */
  private static final long DRAIN_ON_CLOSE_MS = 5_000;

  private final Forwarder forwarder;
  private final long batchDelayMs;
  private final ScheduledExecutorService storer;
  private final Thread sender;
  private final Object work = new Object();
  private volatile boolean running = true;

  public ForwardingLoop(Forwarder forwarder, long batchDelayMs) {
    this.forwarder = forwarder;
    this.batchDelayMs = batchDelayMs;
    this.storer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "edge-store");
              t.setDaemon(true);
              return t;
            });
    this.sender = new Thread(this::sendLoop, "edge-send");
    sender.setDaemon(true);
  }

  public void start() {
    storer.scheduleWithFixedDelay(this::store, batchDelayMs, batchDelayMs, TimeUnit.MILLISECONDS);
    sender.start();
  }

  private void store() {
    try {
      if (forwarder.store() > 0) {
        synchronized (work) {
          work.notifyAll();
        }
      }
    } catch (RuntimeException e) {
      log.error("storing envelopes failed; readings stay in memory until the next try", e);
    }
  }

  private void sendLoop() {
    while (running) {
      try {
        int sent = forwarder.sendOnce();
        if (sent == 0) {
          synchronized (work) {
            // Idle: wait for new envelopes; away: retry in a while.
            work.wait(forwarder.hasBacklog() ? 500 : 50);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.error("sending failed; envelopes stay in the buffer", e);
      }
    }
  }

  /**
   * Stops both threads once the readers are closed: stores what was read, then sends what the
   * broker takes within a few seconds; the rest stays buffered for the next start.
   */
  public void stop() {
    storer.shutdown();
    try {
      storer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    running = false;
    // Woken, not interrupted: an interrupt during file I/O closes the buffer's channels.
    synchronized (work) {
      work.notifyAll();
    }
    try {
      sender.join(15_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    forwarder.store();
    long deadline = System.currentTimeMillis() + DRAIN_ON_CLOSE_MS;
    while (forwarder.hasBacklog()
        && System.currentTimeMillis() < deadline
        && forwarder.sendOnce() > 0) {
      // keep draining
    }
  }
}
