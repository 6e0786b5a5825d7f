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
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Finds envelopes that never arrived, per gateway, from their sequence numbers. A number that jumps
 * ahead opens a gap; envelopes that arrive later (parallel readers and the agents' resends reorder
 * them) close it again; a gap still open after the grace period is reported, once. Numbers already
 * seen, and numbers of a gap already reported that turn up after all, are counted as duplicates
 * (most are an agent's or the broker's resends).
 *
 * <p>The edge agent numbers its envelopes from its start time in milliseconds. A jump to a number
 * later than the sending time of the newest envelope seen is therefore a restart of the agent, not
 * a loss. (In an agent's first moments, while it has sent nearly as many envelopes as milliseconds
 * have passed, a loss can pass for a restart.)
 */
public final class GapDetector extends KeyedProcessFunction<String, EnvelopeSeen, Gap> {

  /** A range of missing numbers, open since {@code since} (processing time). */
  public record Missing(long toSeq, long since, long revealedAt) {}

  private final Duration grace;
  private transient ValueState<Long> maxSeq;
  private transient ValueState<Long> maxSentAt;
  private transient MapState<Long, Missing> missing;
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
    maxSeq = getRuntimeContext().getState(new ValueStateDescriptor<>("max-seq", Long.class));
    maxSentAt = getRuntimeContext().getState(new ValueStateDescriptor<>("max-sent-at", Long.class));
    missing =
        getRuntimeContext()
            .getMapState(new MapStateDescriptor<>("missing", Long.class, Missing.class));
    var metrics = getRuntimeContext().getMetricGroup();
    gaps = metrics.counter("sequenceGaps");
    envelopesMissing = metrics.counter("envelopesMissing");
    duplicates = metrics.counter("duplicateEnvelopes");
  }

  @Override
  public void processElement(EnvelopeSeen seen, Context ctx, Collector<Gap> out) throws Exception {
    Long max = maxSeq.value();
    long seq = seen.seq();
    if (max == null || seq == max + 1) {
      advance(seen);
    } else if (seq > max + 1) {
      if (seq <= maxSentAt.value()) {
        long now = ctx.timerService().currentProcessingTime();
        missing.put(max + 1, new Missing(seq - 1, now, seen.sentAt()));
      }
      advance(seen);
    } else if (!fill(seq)) {
      duplicates.inc();
    }
    // Open ranges keep a timer; re-arming it here also covers ranges restored from a checkpoint.
    long earliest = Long.MAX_VALUE;
    for (Missing range : missing.values()) {
      earliest = Math.min(earliest, range.since());
    }
    if (earliest != Long.MAX_VALUE) {
      ctx.timerService().registerProcessingTimeTimer(earliest + grace.toMillis());
    }
  }

  private void advance(EnvelopeSeen seen) throws Exception {
    maxSeq.update(seen.seq());
    maxSentAt.update(seen.sentAt());
  }

  /** Removes {@code seq} from the missing range that holds it; false when none does. */
  private boolean fill(long seq) throws Exception {
    for (Map.Entry<Long, Missing> e : missing.entries()) {
      long from = e.getKey();
      Missing range = e.getValue();
      if (seq < from || seq > range.toSeq()) {
        continue;
      }
      missing.remove(from);
      if (seq > from) {
        missing.put(from, new Missing(seq - 1, range.since(), range.revealedAt()));
      }
      if (seq < range.toSeq()) {
        missing.put(seq + 1, range);
      }
      return true;
    }
    return false;
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Gap> out) throws Exception {
    List<Long> due = new ArrayList<>();
    for (Map.Entry<Long, Missing> e : missing.entries()) {
      if (e.getValue().since() + grace.toMillis() <= timestamp) {
        due.add(e.getKey());
      }
    }
    for (long from : due) {
      Missing range = missing.get(from);
      missing.remove(from);
      Gap gap = new Gap(ctx.getCurrentKey(), from, range.toSeq(), range.revealedAt());
      gaps.inc();
      envelopesMissing.inc(gap.missing());
      out.collect(gap);
    }
  }
}
