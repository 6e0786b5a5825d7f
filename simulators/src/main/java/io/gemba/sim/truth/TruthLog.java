package io.gemba.sim.truth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gemba.model.oee.MachineOee;
import io.gemba.model.oee.StateTimes;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.TreeMap;

/**
 * Writes the ground truth as JSON lines, flushed at once so that a reader following the file sees
 * everything closed so far: {@code oee_minute} (one per machine and minute), {@code oee_shift} (one
 * per machine and shift occurrence), {@code state} (every state interval, with exact start and end
 * and the stop reason), {@code fault} (every injected fault, with exact start and end, written at
 * the simulation's start or, for random faults, a simulated minute before they begin) and {@code
 * exposed_values} (per OPC UA machine and minute, the signal values its server exposed).
 */
public final class TruthLog implements TruthSink, AutoCloseable {

  private final ObjectMapper mapper = new ObjectMapper();
  private final BufferedWriter writer;

  public TruthLog(Path file) {
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      this.writer =
          Files.newBufferedWriter(
              file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open ground-truth log " + file, e);
    }
  }

  /** The JSON form of one minute; undefined figures are null. */
  public ObjectNode toJson(MachineOee minute) {
    return toJson("oee_minute", null, minute);
  }

  /** The JSON form of one shift; undefined figures are null. */
  public ObjectNode toJson(ShiftTruth shift) {
    return toJson("oee_shift", shift.shift(), shift.oee());
  }

  private ObjectNode toJson(String kind, String shift, MachineOee minute) {
    TruthSums f = TruthSums.of(minute);
    ObjectNode node = mapper.createObjectNode();
    node.put("kind", kind);
    node.put("machine", minute.machineId());
    if (shift != null) {
      node.put("shift", shift);
    }
    node.put("start", Instant.ofEpochMilli(minute.start()).toString());
    node.put("end", Instant.ofEpochMilli(minute.end()).toString());
    node.put("plannedMs", minute.inputs().plannedMs());
    node.put("runMs", minute.inputs().runMs());
    node.put("knownPlannedMs", minute.knownPlannedMs());
    node.put("total", minute.inputs().totalCount());
    node.put("good", minute.inputs().goodCount());
    node.put("idealCycleMs", minute.inputs().idealCycleMs());
    StateTimes t = minute.times();
    node.putObject("times")
        .put("producingMs", t.producingMs())
        .put("idleMs", t.idleMs())
        .put("downMs", t.downMs())
        .put("setupMs", t.setupMs())
        .put("plannedStopMs", t.plannedStopMs())
        .put("smallStopMs", t.smallStopMs());
    node.put("startupRejects", minute.startupRejects());
    ObjectNode reasons = node.putObject("stopReasons");
    new TreeMap<>(minute.stopReasons()).forEach(reasons::put);
    putFigure(node, "availability", f.availability());
    putFigure(node, "performance", f.performance());
    putFigure(node, "quality", f.quality());
    putFigure(node, "oee", f.oee());
    return node;
  }

  private static void putFigure(ObjectNode node, String name, double value) {
    if (Double.isFinite(value)) {
      node.put(name, value);
    } else {
      node.putNull(name);
    }
  }

  @Override
  public void accept(MachineOee minute) {
    write(toJson(minute));
  }

  @Override
  public void shift(ShiftTruth shift) {
    write(toJson(shift));
  }

  @Override
  public void exposedValues(ExposedValues.Minute minute) {
    ObjectNode node = mapper.createObjectNode();
    node.put("kind", "exposed_values");
    node.put("machine", minute.machine());
    node.put("start", Instant.ofEpochMilli(minute.start()).toString());
    node.put("count", minute.count());
    write(node);
  }

  @Override
  public void stateInterval(StateInterval interval) {
    ObjectNode node = mapper.createObjectNode();
    node.put("kind", "state");
    node.put("machine", interval.machine());
    node.put("state", interval.state().wireName());
    if (interval.reason() != null) {
      node.put("reason", interval.reason().wireName());
    }
    node.put("start", Instant.ofEpochMilli(interval.start()).toString());
    node.put("end", Instant.ofEpochMilli(interval.end()).toString());
    write(node);
  }

  @Override
  public void fault(InjectedFault fault) {
    ObjectNode node = mapper.createObjectNode();
    node.put("kind", "fault");
    node.put("machine", fault.machine());
    node.put("fault", fault.fault().kind().wireName());
    if (!fault.variable().isEmpty()) {
      node.put("signal", fault.fault().signal());
      node.put("variable", fault.variable());
    }
    if (fault.fault().magnitude() != null) {
      node.put("magnitude", fault.fault().magnitude());
    }
    node.put("start", Instant.ofEpochMilli(fault.start()).toString());
    node.put("end", Instant.ofEpochMilli(fault.end()).toString());
    write(node);
  }

  private synchronized void write(ObjectNode node) {
    try {
      writer.write(mapper.writeValueAsString(node));
      writer.newLine();
      writer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write ground-truth log", e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      writer.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
