package io.gemba.edge.config;

import io.gemba.model.config.InvalidFieldException;

/**
 * Security of an OPC UA connection. This build supports policy {@code None} only, and only when
 * written out: an unsecured connection is a decision, not a default.
 */
public record OpcUaSecurity(String policy, String mode) {
  public OpcUaSecurity {
    if (!"None".equals(policy)) {
      throw new InvalidFieldException(
          "policy", "expected None (the only policy this build supports), got '" + policy + "'");
    }
    if (mode != null && !"None".equals(mode)) {
      throw new InvalidFieldException("mode", "expected None with policy None, got '" + mode + "'");
    }
    mode = "None";
  }
}
