package io.gemba.jobs.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemba.model.asset.MachineState;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * A machine monitor is keyed state: Flink copies it while a checkpoint runs and writes it into the
 * checkpoint. Both must give a monitor that goes on exactly as the original does.
 */
class MachineMonitorStateTest {

  private static final long T0 = 1_800_000_000_000L;

  private static List<Anomaly> play(MachineMonitor m, long from, long to) {
    List<Anomaly> out = new ArrayList<>();
    for (long t = from; t < to; t += 1_000) {
      long s = (t - T0) / 1_000;
      out.addAll(m.signal(t, "load", 55 + (s * 37 % 11) * 0.3 + (s == 400 ? 40 : 0)));
      out.addAll(m.signal(t, "temperature", 40 + (s * 13 % 7) * 0.05));
    }
    return out;
  }

  @Test
  void aCopiedOrRestoredMonitor_goesOnAsTheOriginal() throws Exception {
    MachineMonitor original = new MachineMonitor("f", "l", "m");
    original.state(T0, MachineState.PRODUCING);
    play(original, T0, T0 + 300_000);

    TypeSerializer<MachineMonitor> serializer =
        TypeInformation.of(MachineMonitor.class).createSerializer(new SerializerConfigImpl());
    MachineMonitor copied = serializer.copy(original);
    DataOutputSerializer out = new DataOutputSerializer(4096);
    serializer.serialize(original, out);
    MachineMonitor restored =
        serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));

    List<Anomaly> expected = play(original, T0 + 300_000, T0 + 600_000);
    assertThat(expected).extracting(Anomaly::rule).contains(Anomaly.OUTLIER);
    assertThat(play(copied, T0 + 300_000, T0 + 600_000)).isEqualTo(expected);
    assertThat(play(restored, T0 + 300_000, T0 + 600_000)).isEqualTo(expected);
  }
}
