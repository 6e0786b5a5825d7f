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
 * Collects readings per machine until the next flush, then packs each machine's readings into one
 * envelope with the gateway's next sequence number. Sequence numbers are assigned at flush, in the
 * order envelopes will be sent, so a consumer sees them without gaps unless something was lost.
 */
public final class EnvelopeBatcher implements ReadingSink {

  private final String gatewayId;
  private final LongSupplier clock;
  private final Map<MachineRef, Pending> pending = new LinkedHashMap<>();
  private final AtomicLong readingsIn = new AtomicLong();
  private long nextSeq;

  public EnvelopeBatcher(String gatewayId, long firstSeq, LongSupplier clock) {
    this.gatewayId = gatewayId;
    this.nextSeq = firstSeq;
    this.clock = clock;
  }

  @Override
  public synchronized void signal(MachineRef machine, SignalValue value) {
    pending(machine).values.add(value);
    readingsIn.incrementAndGet();
  }

  @Override
  public synchronized void state(MachineRef machine, StateChange change) {
    pending(machine).states.add(change);
    readingsIn.incrementAndGet();
  }

  @Override
  public synchronized void counter(MachineRef machine, CounterReading reading) {
    pending(machine).counters.add(reading);
    readingsIn.incrementAndGet();
  }

  private Pending pending(MachineRef machine) {
    return pending.computeIfAbsent(machine, m -> new Pending());
  }

  /** Packs everything read since the last flush; one envelope per machine. */
  public synchronized List<Envelope> flush() {
    List<Envelope> out = new ArrayList<>(pending.size());
    long now = clock.getAsLong();
    for (Map.Entry<MachineRef, Pending> entry : pending.entrySet()) {
      Pending p = entry.getValue();
      out.add(
          new Envelope(
              Envelope.VERSION,
              gatewayId,
              nextSeq++,
              now,
              entry.getKey(),
              p.values,
              p.states,
              p.counters));
    }
    pending.clear();
    return out;
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
