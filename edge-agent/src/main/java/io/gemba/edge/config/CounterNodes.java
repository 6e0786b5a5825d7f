package io.gemba.edge.config;

/** The nodes holding the machine's cumulative part counters. */
public record CounterNodes(String total, String good) {
  public CounterNodes {
    NodeIds.require("total", total);
    NodeIds.require("good", good);
  }
}
