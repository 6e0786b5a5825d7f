package io.gemba.bench;

import io.gemba.model.asset.MachineState;
import io.gemba.model.envelope.Counter;
import io.gemba.model.envelope.CounterReading;
import io.gemba.model.envelope.Envelope;
import io.gemba.model.envelope.EnvelopeCodec;
import io.gemba.model.envelope.EnvelopeFormatException;
import io.gemba.model.envelope.MachineRef;
import io.gemba.model.envelope.Quality;
import io.gemba.model.envelope.SignalValue;
import io.gemba.model.envelope.StateChange;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Decoding of one telemetry envelope, as the KPI job does for every message. An envelope holds
 * {@code values} signal readings plus one state and two counter readings; readings per second is
 * envelopes per second times {@code values + 3}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EnvelopeDecodeBenchmark {

  @Param({"3", "30"})
  int values;

  private final EnvelopeCodec codec = new EnvelopeCodec();
  private byte[] payload;

  @Setup
  public void encode() {
    long ts = 1_800_000_000_000L;
    List<SignalValue> readings = new ArrayList<>();
    for (int i = 0; i < values; i++) {
      readings.add(new SignalValue("signal_" + (i % 3), ts + i * 100L, 11_980.5 + i, Quality.GOOD));
    }
    payload =
        codec.encode(
            new Envelope(
                "gw-zj-01",
                1_795_000_000L,
                123,
                ts + 200,
                new MachineRef("zj-electronics", "smt-2", "cnc-07"),
                readings,
                List.of(new StateChange(ts, MachineState.PRODUCING, Quality.GOOD)),
                List.of(
                    new CounterReading(Counter.TOTAL, ts + 50, 120, Quality.GOOD),
                    new CounterReading(Counter.GOOD, ts + 50, 118, Quality.GOOD))));
  }

  @Benchmark
  public Envelope decode() throws EnvelopeFormatException {
    return codec.decode(payload);
  }
}
