package io.gemba.edge.southbound.opcua;

import static io.gemba.model.config.InvalidFieldException.requireText;

import io.gemba.model.config.InvalidFieldException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A machine read over OPC UA: one subscription with a monitored item per signal, state and counter
 * node.
 *
 * @param security policy, mode and user; Basic256Sha256 with SignAndEncrypt when absent
 * @param signals signals by node id
 * @param browse signals found by browsing the server, in addition to {@code signals}
 * @param publishingIntervalMs how often the server sends the changes it sampled (default 100)
 * @param endpointRewrite connect to the configured host and port even when the server advertises
 *     another host name in its endpoint descriptions (default true)
 * @param backfill after a lost connection, read what was missed from the server's history (default
 *     on, for the nodes the server historizes)
 */
public record OpcUaSource(
    String endpoint,
    OpcUaSecurity security,
    Integer publishingIntervalMs,
    List<SignalNode> signals,
    List<BrowseSpec> browse,
    StateNode state,
    CounterNodes counters,
    Boolean endpointRewrite,
    Backfill backfill) {
  public OpcUaSource {
    backfill = backfill == null ? Backfill.DEFAULT : backfill;
    requireText("endpoint", endpoint);
    if (!endpoint.startsWith("opc.tcp://")) {
      throw new InvalidFieldException(
          "endpoint", "expected an opc.tcp://host:port/path URL, got '" + endpoint + "'");
    }
    security = security == null ? OpcUaSecurity.DEFAULT : security;
    publishingIntervalMs = publishingIntervalMs == null ? 100 : publishingIntervalMs;
    endpointRewrite = endpointRewrite == null ? Boolean.TRUE : endpointRewrite;
    if (publishingIntervalMs < 10) {
      throw new InvalidFieldException(
          "publishingIntervalMs", "expected at least 10 ms, got " + publishingIntervalMs);
    }
    signals = signals == null ? List.of() : List.copyOf(signals);
    Set<String> names = new HashSet<>();
    for (int i = 0; i < signals.size(); i++) {
      if (!names.add(signals.get(i).name())) {
        throw new InvalidFieldException(
            "signals[" + i + "].name", "duplicate signal '" + signals.get(i).name() + "'");
      }
    }
    browse = browse == null ? List.of() : List.copyOf(browse);
    if (signals.isEmpty() && browse.isEmpty() && state == null && counters == null) {
      throw new InvalidFieldException(
          "signals", "expected at least one of signals, browse, state or counters");
    }
  }
}
