package io.gemba.edge.southbound.modbus;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The read requests of one polling group: the points of each table sorted by address, and points
 * that are adjacent (or at most {@code maxGap} apart) read in one request, up to the protocol's
 * limit of 125 registers or 2000 bits per request.
 */
public final class ReadPlan {

  /** One read request: {@code count} bits or registers of {@code table} from {@code start}. */
  public record Request(ModbusTable table, int start, int count) {}

  private final List<Request> requests = new ArrayList<>();
  private final Map<ModbusPoint, Request> requestOf = new IdentityHashMap<>();

  /**
   * Plans the reads of {@code points}; each point is found again by identity with {@link
   * #requestOf}.
   */
  public ReadPlan(Collection<ModbusPoint> points, int maxGap) {
    for (ModbusTable table : ModbusTable.values()) {
      List<ModbusPoint> ofTable =
          points.stream()
              .filter(p -> p.table() == table)
              .sorted(Comparator.comparingInt(ModbusPoint::address))
              .toList();
      List<ModbusPoint> pending = new ArrayList<>();
      int start = -1;
      int end = -1; // last address read, inclusive
      for (ModbusPoint p : ofTable) {
        int pointEnd = p.address() + p.span() - 1;
        boolean joins =
            start >= 0
                && p.address() <= end + 1 + maxGap
                && Math.max(end, pointEnd) - start + 1 <= table.maxPerRequest();
        if (!joins && start >= 0) {
          add(new Request(table, start, end - start + 1), pending);
          pending = new ArrayList<>();
          start = -1;
        }
        if (start < 0) {
          start = p.address();
          end = pointEnd;
        }
        end = Math.max(end, pointEnd);
        pending.add(p);
      }
      if (start >= 0) {
        add(new Request(table, start, end - start + 1), pending);
      }
    }
  }

  private void add(Request request, List<ModbusPoint> points) {
    requests.add(request);
    points.forEach(p -> requestOf.put(p, request));
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** The request that reads {@code point}, one of those it was planned with. */
  public Request requestOf(ModbusPoint point) {
    Request r = requestOf.get(point);
    if (r == null) {
      throw new IllegalArgumentException("not planned here: " + point);
    }
    return r;
  }
}
