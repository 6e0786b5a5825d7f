package io.gemba.edge.buffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A disk-backed FIFO of records with acknowledgement: the edge agent's store-and-forward buffer.
 * Every envelope is appended (and synced) before it is sent, and only {@link #ackThrough} releases
 * it, after the broker acknowledged it. Records live in segment files; a segment is deleted once
 * all its records are acknowledged.
 *
 * <p><b>Recovery.</b> The acknowledged position is kept in the file {@code ack}, replaced
 * atomically. After a crash, everything after it is sent again: delivery is at least once, and
 * consumers recognise repeats by the gateway sequence number (and InfluxDB overwrites points with
 * the same series and source timestamp). A record torn by a crash at the tail of the last segment
 * fails its length or CRC check and is cut off; it was never acknowledged to the sender's caller as
 * stored, because {@link #sync} had not returned.
 *
 * <p><b>Overflow.</b> When appending would exceed {@code maxBytes}, the oldest segment is dropped
 * whole, and each of its unacknowledged records is counted in {@link #dropped}. The newest data is
 * kept, because it is what operators look at first and because it includes the latest counter
 * values, from which the counts of the dropped period are recovered.
 */
public final class SegmentLog implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SegmentLog.class);
  private static final String ACK_FILE = "ack";

  /** One stored record. */
  public record Entry(long index, byte[] payload) {}

  private final Path dir;
  private final long maxBytes;
  private final long segmentBytes;
  private final Deque<Segment> segments = new ArrayDeque<>();
  private long acked;
  private long totalBytes;
  private long dropped;

  private SegmentLog(Path dir, long maxBytes, long segmentBytes) {
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.segmentBytes = segmentBytes;
  }

  /**
   * Opens (or creates) the log in {@code dir}.
   *
   * @param maxBytes upper bound of the bytes on disk
   * @param segmentBytes size at which a new segment file is started; at most {@code maxBytes / 4}
   */
  public static SegmentLog open(Path dir, long maxBytes, long segmentBytes) {
    if (segmentBytes * 4 > maxBytes) {
      throw new IllegalArgumentException(
          "segment size " + segmentBytes + " must be at most a quarter of maxBytes " + maxBytes);
    }
    SegmentLog segmentLog = new SegmentLog(dir, maxBytes, segmentBytes);
    try {
      Files.createDirectories(dir);
      segmentLog.recover();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open store-and-forward buffer " + dir, e);
    }
    return segmentLog;
  }

  private void recover() throws IOException {
    List<Path> files;
    try (Stream<Path> listing = Files.list(dir)) {
      files = listing.filter(Segment::isSegment).sorted().toList();
    }
    acked = readAck();
    for (int i = 0; i < files.size(); i++) {
      Segment.Opened opened = Segment.open(files.get(i));
      Segment segment = opened.segment();
      if (opened.bytesCut() > 0) {
        log.warn(
            "buffer segment had a torn tail, cut off file={} bytes={}",
            files.get(i),
            opened.bytesCut());
      }
      if (!segments.isEmpty() && segments.peekLast().endIndex() != segment.firstIndex()) {
        // A damaged segment ended early: later records no longer follow on. Keep the order
        // intact by discarding what comes after the damage, and count it.
        long lost = countFrom(files, i);
        dropped += lost;
        log.error("buffer segments out of sequence after damage, discarding records={}", lost);
        for (int j = i; j < files.size(); j++) {
          Files.deleteIfExists(files.get(j));
        }
        segment.close();
        break;
      }
      segments.addLast(segment);
      totalBytes += segment.size();
    }
    if (segments.isEmpty()) {
      segments.addLast(Segment.create(dir, Math.max(acked, 0)));
    }
    acked = Math.max(acked, segments.peekFirst().firstIndex());
    deleteAckedSegments();
  }

  private static long countFrom(List<Path> files, int from) throws IOException {
    long n = 0;
    for (int j = from; j < files.size(); j++) {
      Segment.Opened opened = Segment.open(files.get(j));
      n += opened.segment().count();
      opened.segment().close();
    }
    return n;
  }

  /** Appends a record; returns its index. Call {@link #sync} before relying on it. */
  public synchronized long append(byte[] payload) {
    try {
      long recordBytes = Segment.HEADER_BYTES + payload.length;
      Segment last = segments.peekLast();
      if (last.size() > 0 && last.size() + recordBytes > segmentBytes) {
        last.force();
        last = Segment.create(dir, last.endIndex());
        segments.addLast(last);
      }
      while (totalBytes + recordBytes > maxBytes && segments.size() > 1) {
        dropOldest();
      }
      long index = last.append(payload);
      totalBytes += recordBytes;
      return index;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to store-and-forward buffer " + dir, e);
    }
  }

  private void dropOldest() throws IOException {
    Segment oldest = segments.pollFirst();
    long unacked = oldest.endIndex() - Math.max(acked, oldest.firstIndex());
    dropped += Math.max(0, unacked);
    totalBytes -= oldest.size();
    acked = Math.max(acked, oldest.endIndex());
    oldest.delete();
    writeAck();
    log.warn(
        "buffer full, dropped oldest segment maxBytes={} droppedRecords={} droppedTotal={}",
        maxBytes,
        unacked,
        dropped);
  }

  /**
   * Makes every record appended so far durable (fsync of the segment being written). The fsync runs
   * outside the log's lock: on slow disks it takes tens of milliseconds, and the sender must not
   * wait for it to read and acknowledge. Segments that were rolled over were synced when they were
   * closed for writing.
   */
  public void sync() {
    Segment current;
    synchronized (this) {
      current = segments.peekLast();
    }
    try {
      current.force();
    } catch (java.nio.channels.ClosedChannelException deleted) {
      // Acknowledged and deleted meanwhile: nothing left to make durable.
    } catch (IOException e) {
      throw new UncheckedIOException("cannot sync store-and-forward buffer " + dir, e);
    }
  }

  /**
   * Up to {@code max} records with index at least {@code from} (and not acknowledged), in order.
   */
  public synchronized List<Entry> read(long from, int max) {
    List<Entry> out = new ArrayList<>();
    long index = Math.max(from, acked);
    try {
      for (Segment segment : segments) {
        while (index < segment.endIndex() && out.size() < max) {
          if (index >= segment.firstIndex()) {
            out.add(new Entry(index, segment.read(index)));
          }
          index++;
        }
        if (out.size() >= max) {
          break;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read store-and-forward buffer " + dir, e);
    }
    return out;
  }

  /** Releases every record with index up to and including {@code index}. */
  public synchronized void ackThrough(long index) {
    if (index < acked) {
      return;
    }
    acked = Math.min(index + 1, nextIndex());
    try {
      writeAck();
      deleteAckedSegments();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record acknowledgement in " + dir, e);
    }
  }

  private void deleteAckedSegments() throws IOException {
    while (segments.size() > 1 && segments.peekFirst().endIndex() <= acked) {
      Segment done = segments.pollFirst();
      totalBytes -= done.size();
      done.delete();
    }
  }

  private long readAck() throws IOException {
    Path file = dir.resolve(ACK_FILE);
    if (!Files.exists(file)) {
      return -1;
    }
    byte[] bytes = Files.readAllBytes(file);
    return bytes.length == Long.BYTES ? ByteBuffer.wrap(bytes).getLong() : -1;
  }

  private void writeAck() throws IOException {
    Path tmp = dir.resolve(ACK_FILE + ".tmp");
    Files.write(tmp, ByteBuffer.allocate(Long.BYTES).putLong(acked).array());
    try {
      Files.move(tmp, dir.resolve(ACK_FILE), StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, dir.resolve(ACK_FILE), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Index the next appended record gets. */
  public synchronized long nextIndex() {
    return segments.peekLast().endIndex();
  }

  /** Index of the oldest record not yet acknowledged (equals {@link #nextIndex} when empty). */
  public synchronized long firstUnacked() {
    return acked;
  }

  /** Records waiting for acknowledgement. */
  public synchronized long depth() {
    return nextIndex() - acked;
  }

  /** Bytes of segment files on disk. */
  public synchronized long bytes() {
    return totalBytes;
  }

  /** Records dropped by the overflow policy (or lost to damage) since this log was opened. */
  public synchronized long dropped() {
    return dropped;
  }

  /** The newest record, if any is stored, for recovering state such as sequence numbers. */
  public synchronized Entry last() {
    Segment newest = null;
    for (Segment segment : segments) {
      if (segment.count() > 0) {
        newest = segment;
      }
    }
    if (newest == null) {
      return null;
    }
    try {
      return new Entry(newest.endIndex() - 1, newest.read(newest.endIndex() - 1));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read store-and-forward buffer " + dir, e);
    }
  }

  @Override
  public synchronized void close() {
    for (Segment segment : segments) {
      try {
        segment.force();
        segment.close();
      } catch (IOException e) {
        log.warn("closing buffer segment failed reason={}", e.getMessage());
      }
    }
  }
}
