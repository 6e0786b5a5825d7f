package io.gemba.model.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gemba.model.asset.MachineState;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvelopeCodecTest {

  private final EnvelopeCodec codec = new EnvelopeCodec();

  private static Envelope sample() {
    return new Envelope(
        1,
        "gw-1",
        null,
        42,
        1_800_000_000_500L,
        new MachineRef("zj-electronics", "smt-2", "cnc-07"),
        List.of(new SignalValue("spindle_speed", 1_800_000_000_100L, 11_980.5, Quality.GOOD)),
        List.of(new StateChange(1_800_000_000_000L, MachineState.PRODUCING, Quality.GOOD)),
        List.of(
            new CounterReading(Counter.TOTAL, 1_800_000_000_200L, 120, Quality.GOOD),
            new CounterReading(Counter.GOOD, 1_800_000_000_200L, 65_000, Quality.GOOD, 65_536L)));
  }

  @Test
  void roundTrip_keepsEveryField() throws Exception {
    Envelope envelope = sample();

    assertThat(codec.decode(codec.encode(envelope))).isEqualTo(envelope);
  }

  @Test
  void wireForm_isTheDocumentedOne() {
    String json = new String(codec.encode(sample()), StandardCharsets.UTF_8);

    assertThat(json)
        .contains("\"v\":1", "\"seq\":42", "\"state\":\"producing\"", "\"counter\":\"total\"")
        .contains("\"quality\":\"good\"")
        .contains("\"rollover\":65536")
        .containsOnlyOnce("rollover");
  }

  @Test
  void unknownState_namesTheFieldAndTheAcceptedValues() {
    String json =
        "{\"v\":1,\"gateway\":\"g\",\"seq\":1,\"sentAt\":0,"
            + "\"machine\":{\"factory\":\"f\",\"line\":\"l\",\"id\":\"m\"},"
            + "\"values\":[],\"states\":[{\"ts\":0,\"state\":\"running\",\"quality\":\"good\"}],"
            + "\"counters\":[]}";

    assertThatThrownBy(() -> codec.decode(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(EnvelopeFormatException.class)
        .hasMessageContaining("states[0]")
        .hasMessageContaining("running")
        .hasMessageContaining("planned_stop");
  }

  @Test
  void optionalFields_mayBeLeftOut() throws Exception {
    String json =
        "{\"v\":1,\"gateway\":\"g\",\"seq\":1,\"sentAt\":0,"
            + "\"machine\":{\"factory\":\"f\",\"line\":\"l\",\"id\":\"m\"},"
            + "\"states\":[{\"ts\":5,\"state\":\"idle\"}]}";

    Envelope e = codec.decode(json.getBytes(StandardCharsets.UTF_8));

    assertThat(e.values()).isEmpty();
    assertThat(e.states().get(0).quality()).isEqualTo(Quality.GOOD);
  }

  @Test
  void missingSequenceNumber_isRejectedNamingIt() {
    String json =
        "{\"v\":1,\"gateway\":\"g\",\"sentAt\":0,"
            + "\"machine\":{\"factory\":\"f\",\"line\":\"l\",\"id\":\"m\"}}";

    assertThatThrownBy(() -> codec.decode(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(EnvelopeFormatException.class)
        .hasMessageContaining("seq");
  }

  @Test
  void wrongVersion_isRejected() {
    String json =
        "{\"v\":3,\"gateway\":\"g\",\"seq\":1,\"sentAt\":0,"
            + "\"machine\":{\"factory\":\"f\",\"line\":\"l\",\"id\":\"m\"},"
            + "\"values\":[],\"states\":[],\"counters\":[]}";

    assertThatThrownBy(() -> codec.decode(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(EnvelopeFormatException.class)
        .hasMessageContaining("v: expected envelope version 1 or 2, got 3");
  }

  /** Version 2 needs its session; version 1 has none and still reads. */
  @Test
  void version2NeedsASession_version1HasNone() throws Exception {
    String head = "{\"gateway\":\"g\",\"seq\":1,\"sentAt\":0,";
    String tail = "\"machine\":{\"factory\":\"f\",\"line\":\"l\",\"id\":\"m\"}}";
    assertThat(codec.decode(bytes("{\"v\":1," + head.substring(1) + tail)).session()).isNull();
    assertThat(codec.decode(bytes("{\"v\":2,\"session\":7," + head.substring(1) + tail)).session())
        .isEqualTo(7L);
    assertThatThrownBy(() -> codec.decode(bytes("{\"v\":2," + head.substring(1) + tail)))
        .hasMessageContaining("session: expected the gateway's session number");
    assertThatThrownBy(
            () -> codec.decode(bytes("{\"v\":1,\"session\":7," + head.substring(1) + tail)))
        .hasMessageContaining("session: not part of envelope version 1");
  }

  /**
   * Names that could split a line of InfluxDB's line protocol, widen a topic or grow a tag without
   * bound are refused, naming the field; so are times no clock can have and non-finite values.
   */
  @Test
  void hostileNamesTimesAndValues_areRefusedNamingTheField() {
    String machine = "\"machine\":{\"factory\":\"f\",\"line\":\"l\",\"id\":\"m\"}";
    String head = "{\"v\":2,\"gateway\":\"g\",\"session\":1,\"seq\":1,\"sentAt\":0," + machine;
    String longName = "a".repeat(65);
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put(
        head + ",\"values\":[{\"signal\":\"a\\nb\",\"ts\":1,\"value\":1,\"quality\":\"good\"}]}",
        "values[0].signal: expected a signal name");
    cases.put(
        head
            + ",\"values\":[{\"signal\":\""
            + longName
            + "\",\"ts\":1,\"value\":1,\"quality\":\"good\"}]}",
        "values[0].signal: expected a signal name of 1 to 64");
    cases.put(
        head + ",\"values\":[{\"signal\":\"a\",\"ts\":1,\"value\":1e400,\"quality\":\"good\"}]}",
        "values[0].value: expected a finite number, got Infinity");
    cases.put(
        head + ",\"values\":[{\"signal\":\"a\",\"ts\":-5,\"value\":1,\"quality\":\"good\"}]}",
        "values[0].ts: expected epoch milliseconds between 1970 and 9999");
    cases.put(
        head + ",\"states\":[{\"ts\":253402300800000,\"state\":\"down\"}]}",
        "states[0].ts: expected epoch milliseconds between 1970 and 9999");
    cases.put(
        head
            + ",\"states\":[{\"ts\":1,\"state\":\"down\",\"reason\":\""
            + "x".repeat(65_536)
            + "\"}]}",
        "states[0].reason: expected at most 64 characters");
    cases.put(
        head.replace("\"gateway\":\"g\"", "\"gateway\":\"g\\nx\"") + "}",
        "gateway: expected an id of 1 to 64");
    cases.put(
        head.replace("\"id\":\"m\"", "\"id\":\"" + "m".repeat(65) + "\"") + "}",
        "machine.id: expected an id of 1 to 64");
    cases.forEach(
        (json, message) ->
            assertThatThrownBy(() -> codec.decode(bytes(json)))
                .as(message)
                .isInstanceOf(EnvelopeFormatException.class)
                .hasMessageContaining(message));
  }

  private static byte[] bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void truncatedPayload_isRejectedWithItsOwnException() {
    byte[] full = codec.encode(sample());
    byte[] truncated = java.util.Arrays.copyOf(full, full.length / 2);

    assertThatThrownBy(() -> codec.decode(truncated)).isInstanceOf(EnvelopeFormatException.class);
  }

  @Test
  void oversizedPayload_isRejectedBeforeParsing() {
    byte[] huge = new byte[EnvelopeCodec.MAX_PAYLOAD_BYTES + 1];

    assertThatThrownBy(() -> codec.decode(huge))
        .isInstanceOf(EnvelopeFormatException.class)
        .hasMessageContaining("exceeds the limit");
  }

  @Test
  void telemetryTopic_roundTrips() {
    MachineRef ref = new MachineRef("zj-electronics", "smt-2", "cnc-07");

    assertThat(Topics.telemetry(ref)).isEqualTo("gemba/v1/zj-electronics/smt-2/cnc-07/telemetry");
    assertThat(Topics.parseTelemetry(Topics.telemetry(ref))).contains(ref);
    assertThat(Topics.parseTelemetry("gemba/v1/a/b/telemetry")).isEmpty();
  }
}
