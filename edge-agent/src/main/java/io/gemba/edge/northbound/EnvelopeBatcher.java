package io.gemba.edge.northbound;

import io.gemba.model.envelope.CounterReading;
import io.gemba.model.envelope.Envelope;
import io.gemba.model.envelope.MachineRef;
import io.gemba.model.envelope.SignalValue;
import io.gemba.model.envelope.StateChange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Collects readings per machine until the next flush, then packs each machine's readings into
 * envelopes of at most {@link #MAX_READINGS} readings, each with the gateway's session and the
 * session's next sequence number, from 0. Sequence numbers are assigned at flush, in the order
 * envelopes will be sent, so a consumer sees them without gaps unless something was lost. The cap
 * keeps every envelope well under the consumers' payload limit (256 KiB) however fast a machine
 * reports.
 */
public final class EnvelopeBatcher implements ReadingSink {

  /** Readings per envelope at most; about 60 KiB of JSON. */
  public static final int MAX_READINGS = 500;

  private final String gatewayId;
  private final long session;
  private final LongSupplier clock;
  private final Map<MachineRef, Pending> pending = new LinkedHashMap<>();
  private final AtomicLong readingsIn = new AtomicLong();
  private long nextSeq;
  private int pendingReadings;

  /**
   * @param session this run's session number ({@link io.gemba.edge.buffer.SessionNumbers})
   */
  public EnvelopeBatcher(String gatewayId, long session, LongSupplier clock) {
    this.gatewayId = gatewayId;
    this.session = session;
    this.clock = clock;
  }

  @Override
  public synchronized void signal(MachineRef machine, SignalValue value) {
    pending(machine).values.add(value);
  }

  @Override
  public synchronized void state(MachineRef machine, StateChange change) {
    pending(machine).states.add(change);
  }

  @Override
  public synchronized void counter(MachineRef machine, CounterReading reading) {
    pending(machine).counters.add(reading);
  }

  /** The machine's pending readings, which the caller is about to add one to. */
  private Pending pending(MachineRef machine) {
    pendingReadings++;
    readingsIn.incrementAndGet();
    return pending.computeIfAbsent(machine, m -> new Pending());
  }

  /** Packs everything read since the last flush; one envelope per machine. */
  public synchronized List<Envelope> flush() {
    List<Envelope> out = new ArrayList<>(pending.size());
    long now = clock.getAsLong();
    for (Map.Entry<MachineRef, Pending> entry : pending.entrySet()) {
      Pending p = entry.getValue();
      int values = 0;
      int states = 0;
      int counters = 0;
      do {
        // States and counters first: they are few, and OEE needs them.
        int room = MAX_READINGS;
        int s = Math.min(room, p.states.size() - states);
        room -= s;
        int c = Math.min(room, p.counters.size() - counters);
        room -= c;
        int v = Math.min(room, p.values.size() - values);
        out.add(
            new Envelope(
                gatewayId,
                session,
                nextSeq++,
                now,
                entry.getKey(),
                p.values.subList(values, values + v),
                p.states.subList(states, states + s),
                p.counters.subList(counters, counters + c)));
        values += v;
        states += s;
        counters += c;
      } while (values < p.values.size()
          || states < p.states.size()
          || counters < p.counters.size());
    }
    pending.clear();
    pendingReadings = 0;
    return out;
  }

  /** Readings waiting for the next flush. */
  public synchronized int pendingReadings() {
    return pendingReadings;
  }

  public long readingsIn() {
    return readingsIn.get();
  }

  private static final class Pending {
    final List<SignalValue> values = new ArrayList<>();
    final List<StateChange> states = new ArrayList<>();
    final List<CounterReading> counters = new ArrayList<>();
  }
}
