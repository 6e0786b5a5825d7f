package io.gemba.model.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Whatever bytes arrive on a telemetry topic, the decoder either returns a valid envelope or throws
 * its own {@link EnvelopeFormatException}, never anything else: random bytes, and valid envelopes
 * truncated, with bytes flipped, or with values replaced.
 */
class EnvelopeCodecPropertiesTest {

  private static final String VALID =
      """
      {"v":1,"gateway":"gw-zj-01","seq":1795000000123,"sentAt":1795000000500,
       "machine":{"factory":"zj-electronics","line":"smt-2","id":"cnc-07"},
       "values":[{"signal":"spindle_speed","ts":1795000000400,"value":11980.5,"quality":"good"}],
       "states":[{"ts":1795000000000,"state":"producing"}],
       "counters":[{"counter":"total","ts":1795000000300,"value":1250,"rollover":65536}]}
      """;

  private final EnvelopeCodec codec = new EnvelopeCodec();

  private void decodesOrFailsWithItsOwnException(byte[] bytes) {
    Throwable thrown = catchThrowable(() -> codec.decode(bytes));
    if (thrown != null) {
      assertThat(thrown).isInstanceOf(EnvelopeFormatException.class);
    }
  }

  @Property(tries = 2_000)
  void randomBytes(@ForAll @Size(max = 512) byte[] bytes) {
    decodesOrFailsWithItsOwnException(bytes);
  }

  @Property(tries = 2_000)
  void truncatedEnvelopes(@ForAll("cut") int length) {
    byte[] valid = VALID.getBytes(StandardCharsets.UTF_8);
    decodesOrFailsWithItsOwnException(Arrays.copyOf(valid, length));
  }

  @Provide
  Arbitrary<Integer> cut() {
    return Arbitraries.integers().between(0, VALID.getBytes(StandardCharsets.UTF_8).length);
  }

  @Property(tries = 3_000)
  void envelopesWithFlippedBytes(
      @ForAll("position") int position, @ForAll byte value, @ForAll("position") int second) {
    byte[] bytes = VALID.getBytes(StandardCharsets.UTF_8);
    bytes[position] = value;
    bytes[second] = (byte) (bytes[second] ^ 0x20);
    decodesOrFailsWithItsOwnException(bytes);
  }

  @Provide
  Arbitrary<Integer> position() {
    return Arbitraries.integers().between(0, VALID.getBytes(StandardCharsets.UTF_8).length - 1);
  }

  @Property(tries = 2_000)
  void envelopesWithAValueReplaced(
      @ForAll("token") String replacement, @ForAll("field") String field) {
    String mutated =
        VALID.replaceFirst(
            "\"" + field + "\":[^,}\\]]+",
            // A token may hold $ or \, which replaceFirst would take for a group reference.
            Matcher.quoteReplacement("\"" + field + "\":" + replacement));
    decodesOrFailsWithItsOwnException(mutated.getBytes(StandardCharsets.UTF_8));
  }

  @Provide
  Arbitrary<String> field() {
    return Arbitraries.of(
        "v", "gateway", "seq", "sentAt", "ts", "value", "state", "counter", "rollover", "quality");
  }

  @Provide
  Arbitrary<String> token() {
    return Arbitraries.oneOf(
        Arbitraries.of(
            "null",
            "NaN",
            "-1",
            "1e400",
            "\"\"",
            "true",
            "[]",
            "{}",
            "\"producing\"",
            "9223372036854775808",
            "-9223372036854775809",
            "0.5",
            "\"x\""),
        Arbitraries.strings().ofMaxLength(12).map(s -> "\"" + s.replace("\"", "") + "\""),
        Arbitraries.longs().map(String::valueOf),
        Arbitraries.doubles().map(String::valueOf));
  }

  @Property(tries = 5)
  void aMegabyteOfJunk_failsCleanly(@ForAll("megabyte") byte[] bytes) {
    decodesOrFailsWithItsOwnException(bytes);
  }

  @Provide
  Arbitrary<byte[]> megabyte() {
    return Arbitraries.bytes().array(byte[].class).ofSize(1 << 20).injectDuplicates(0.5);
  }
}
