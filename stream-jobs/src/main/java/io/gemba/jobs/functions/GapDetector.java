package io.gemba.jobs.functions;

import io.gemba.jobs.records.EnvelopeSeen;
import io.gemba.jobs.records.Gap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Finds envelopes that never arrived, per gateway (the key) and session, from their sequence
 * numbers. Every start of an agent is a new session whose numbers start at 0, so a restart is never
 * a gap and any jump within a session is a loss, at any envelope rate. A number that jumps ahead
 * opens a gap; envelopes that arrive later (parallel readers and the agents' resends reorder them)
 * close it again; a gap still open after the grace period is reported, once. Numbers already seen,
 * and numbers of a gap already reported that turn up after all, are counted as duplicates (most are
 * an agent's or the broker's resends).
 *
 * <p>Version-1 envelopes have no session (session -1) and are numbered from the agent's start time
 * in milliseconds: for them a jump to a number later than the sending time of the newest envelope
 * seen counts as a restart, which hides losses once an agent sends more envelopes than milliseconds
 * pass.
 *
 * <p>Bounded whatever a gateway sends: at most {@value #MAX_SESSIONS} sessions per gateway (the one
 * seen least recently is dropped for a new one, its open ranges reported at once), at most {@value
 * #MAX_OPEN_RANGES} open ranges per gateway (the oldest reported early beyond that), and a
 * session's state is dropped after {@link #FORGET_AFTER} without envelopes.
 */
public final class GapDetector extends KeyedProcessFunction<String, EnvelopeSeen, Gap> {

  /** A range of missing numbers, open since {@code since} (processing time). */
  public record Missing(long toSeq, long since, long revealedAt) {}

  /** Where a session stands: its highest number, that envelope's sending time, when last seen. */
  public record Session(long maxSeq, long maxSentAt, long seenAt) {}

  /** Sessions kept per gateway: the current one, and older ones whose buffers still drain. */
  static final int MAX_SESSIONS = 16;

  /** Open ranges per gateway at most; a sender that opens more gets its oldest reported early. */
  static final int MAX_OPEN_RANGES = 1_000;

  /** How long the state of a session without envelopes is kept. */
  static final Duration FORGET_AFTER = Duration.ofDays(7);

  private final Duration grace;
  private transient MapState<Long, Session> sessions;
  private transient MapState<Tuple2<Long, Long>, Missing> missing;
  private transient Counter gaps;
  private transient Counter envelopesMissing;
  private transient Counter duplicates;

  /**
   * @param grace how long a missing envelope may take to arrive before it counts as lost
   */
  public GapDetector(Duration grace) {
    this.grace = grace;
  }

  @Override
  public void open(OpenContext context) {
    StateTtlConfig ttl = StateTtlConfig.newBuilder(FORGET_AFTER).build();
    MapStateDescriptor<Long, Session> sessionState =
        new MapStateDescriptor<>("sessions", Types.LONG, TypeInformation.of(Session.class));
    sessionState.enableTimeToLive(ttl);
    sessions = getRuntimeContext().getMapState(sessionState);
    // Keyed by (session, first missing number).
    MapStateDescriptor<Tuple2<Long, Long>, Missing> missingState =
        new MapStateDescriptor<>(
            "missing", Types.TUPLE(Types.LONG, Types.LONG), TypeInformation.of(Missing.class));
    missingState.enableTimeToLive(ttl);
    missing = getRuntimeContext().getMapState(missingState);
    var metrics = getRuntimeContext().getMetricGroup();
    gaps = metrics.counter("sequenceGaps");
    envelopesMissing = metrics.counter("envelopesMissing");
    duplicates = metrics.counter("duplicateEnvelopes");
  }

  @Override
  public void processElement(EnvelopeSeen seen, Context ctx, Collector<Gap> out) throws Exception {
    long now = ctx.timerService().currentProcessingTime();
    long session = seen.session();
    long seq = seen.seq();
    Session current = sessions.get(session);
    if (current == null) {
      makeRoom(ctx.getCurrentKey(), out);
      sessions.put(session, new Session(seq, seen.sentAt(), now));
    } else if (seq == current.maxSeq() + 1) {
      sessions.put(session, new Session(seq, seen.sentAt(), now));
    } else if (seq > current.maxSeq() + 1) {
      // Version 1 only: a number past the sending time of the newest envelope is a restart.
      boolean restart = session < 0 && seq > current.maxSentAt();
      if (!restart) {
        missing.put(
            Tuple2.of(session, current.maxSeq() + 1), new Missing(seq - 1, now, seen.sentAt()));
      }
      sessions.put(session, new Session(seq, seen.sentAt(), now));
    } else {
      sessions.put(session, new Session(current.maxSeq(), current.maxSentAt(), now));
      if (!fill(session, seq)) {
        duplicates.inc();
      }
    }
    // Open ranges keep a timer; re-arming it here also covers ranges restored from a checkpoint.
    long earliest = Long.MAX_VALUE;
    Tuple2<Long, Long> oldest = null;
    int open = 0;
    for (Map.Entry<Tuple2<Long, Long>, Missing> e : missing.entries()) {
      open++;
      if (e.getValue().since() < earliest) {
        earliest = e.getValue().since();
        oldest = e.getKey();
      }
    }
    if (open > MAX_OPEN_RANGES) {
      report(ctx.getCurrentKey(), oldest, out);
    }
    if (earliest != Long.MAX_VALUE) {
      ctx.timerService().registerProcessingTimeTimer(earliest + grace.toMillis());
    }
  }

  /** Drops the session seen least recently when the gateway has as many as it may keep. */
  private void makeRoom(String gateway, Collector<Gap> out) throws Exception {
    int count = 0;
    Long stalest = null;
    long stalestAt = Long.MAX_VALUE;
    for (Map.Entry<Long, Session> e : sessions.entries()) {
      count++;
      if (e.getValue().seenAt() < stalestAt) {
        stalestAt = e.getValue().seenAt();
        stalest = e.getKey();
      }
    }
    if (count < MAX_SESSIONS) {
      return;
    }
    List<Tuple2<Long, Long>> open = new ArrayList<>();
    for (Tuple2<Long, Long> key : missing.keys()) {
      if (key.f0.equals(stalest)) {
        open.add(key);
      }
    }
    for (Tuple2<Long, Long> key : open) {
      report(gateway, key, out);
    }
    sessions.remove(stalest);
  }

  /** Removes {@code seq} from the session's missing range that holds it; false when none does. */
  private boolean fill(long session, long seq) throws Exception {
    for (Map.Entry<Tuple2<Long, Long>, Missing> e : missing.entries()) {
      long from = e.getKey().f1;
      Missing range = e.getValue();
      if (e.getKey().f0 != session || seq < from || seq > range.toSeq()) {
        continue;
      }
      missing.remove(e.getKey());
      if (seq > from) {
        missing.put(
            Tuple2.of(session, from), new Missing(seq - 1, range.since(), range.revealedAt()));
      }
      if (seq < range.toSeq()) {
        missing.put(Tuple2.of(session, seq + 1), range);
      }
      return true;
    }
    return false;
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Gap> out) throws Exception {
    List<Tuple2<Long, Long>> due = new ArrayList<>();
    for (Map.Entry<Tuple2<Long, Long>, Missing> e : missing.entries()) {
      if (e.getValue().since() + grace.toMillis() <= timestamp) {
        due.add(e.getKey());
      }
    }
    for (Tuple2<Long, Long> key : due) {
      report(ctx.getCurrentKey(), key, out);
    }
  }

  private void report(String gateway, Tuple2<Long, Long> key, Collector<Gap> out) throws Exception {
    Missing range = missing.get(key);
    missing.remove(key);
    Gap gap = new Gap(gateway, key.f0, key.f1, range.toSeq(), range.revealedAt());
    gaps.inc();
    envelopesMissing.inc(gap.missing());
    out.collect(gap);
  }
}
