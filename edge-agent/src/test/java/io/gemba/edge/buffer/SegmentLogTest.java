package io.gemba.edge.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentLogTest {

  private static final long MAX = 64 * 1024;
  private static final long SEGMENT = 4 * 1024;

  @TempDir Path dir;

  private static byte[] record(int i) {
    return ("envelope-" + i + "-" + "x".repeat(90)).getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> payloads(List<SegmentLog.Entry> entries) {
    return entries.stream().map(e -> new String(e.payload(), StandardCharsets.UTF_8)).toList();
  }

  @Test
  void appendedRecords_areReadInOrderUntilAcknowledged() {
    try (SegmentLog log = SegmentLog.open(dir, MAX, SEGMENT)) {
      for (int i = 0; i < 100; i++) {
        assertThat(log.append(record(i))).isEqualTo(i);
      }

      assertThat(log.read(0, 3)).extracting(SegmentLog.Entry::index).containsExactly(0L, 1L, 2L);
      log.ackThrough(49);

      assertThat(log.depth()).isEqualTo(50);
      assertThat(log.read(0, 1).get(0).index()).isEqualTo(50);
      assertThat(payloads(log.read(0, 1)).get(0)).startsWith("envelope-50-");
    }
  }

  @Test
  void reopen_resumesAfterTheLastAcknowledgement() {
    try (SegmentLog log = SegmentLog.open(dir, MAX, SEGMENT)) {
      for (int i = 0; i < 100; i++) {
        log.append(record(i));
      }
      log.sync();
      log.ackThrough(59);
    }

    try (SegmentLog log = SegmentLog.open(dir, MAX, SEGMENT)) {
      assertThat(log.firstUnacked()).isEqualTo(60);
      assertThat(log.depth()).isEqualTo(40);
      assertThat(log.append(record(100))).isEqualTo(100);
      assertThat(payloads(log.read(0, 100)))
          .hasSize(41)
          .first()
          .asString()
          .startsWith("envelope-60-");
      assertThat(new String(log.last().payload(), StandardCharsets.UTF_8))
          .startsWith("envelope-100-");
    }
  }

  @Test
  void fullyAcknowledgedSegments_areDeleted() throws IOException {
    try (SegmentLog log = SegmentLog.open(dir, MAX, SEGMENT)) {
      for (int i = 0; i < 200; i++) {
        log.append(record(i));
      }
      long before = segmentFiles();
      log.ackThrough(199);

      assertThat(before).isGreaterThan(3);
      assertThat(segmentFiles()).isEqualTo(1);
      assertThat(log.depth()).isZero();
      assertThat(log.last()).isNotNull();
    }
  }

  @Test
  void tornTail_isCutOffAndEverythingBeforeItKept() throws IOException {
    try (SegmentLog log = SegmentLog.open(dir, MAX, SEGMENT)) {
      for (int i = 0; i < 10; i++) {
        log.append(record(i));
      }
      log.sync();
    }
    Path newest;
    try (Stream<Path> files = Files.list(dir)) {
      newest = files.filter(Segment::isSegment).sorted().reduce((a, b) -> b).orElseThrow();
    }
    try (FileChannel channel = FileChannel.open(newest, StandardOpenOption.WRITE)) {
      channel.truncate(channel.size() - 7);
    }

    try (SegmentLog log = SegmentLog.open(dir, MAX, SEGMENT)) {
      assertThat(log.depth()).isEqualTo(9);
      assertThat(payloads(log.read(0, 100)).get(8)).startsWith("envelope-8-");
      assertThat(log.append(record(99))).isEqualTo(9);
    }
  }

  @Test
  void overflow_dropsOldestSegmentsAndCountsEveryUnsentRecord() {
    try (SegmentLog log = SegmentLog.open(dir, MAX, SEGMENT)) {
      int appended = 2_000;
      for (int i = 0; i < 10; i++) {
        log.append(record(i));
      }
      log.ackThrough(9);
      for (int i = 10; i < appended; i++) {
        log.append(record(i));
      }

      List<SegmentLog.Entry> kept = log.read(0, appended);
      assertThat(log.bytes()).isLessThanOrEqualTo(MAX);
      assertThat(log.dropped()).isPositive();
      // Every record is either acknowledged (10), dropped, or still kept: none vanishes.
      assertThat(10 + log.dropped() + kept.size()).isEqualTo(appended);
      // The newest are kept, the oldest dropped.
      assertThat(kept.get(kept.size() - 1).index()).isEqualTo(appended - 1);
      assertThat(kept.get(0).index()).isEqualTo(10 + log.dropped());
    }
  }

  private long segmentFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(Segment::isSegment).count();
    }
  }
}
