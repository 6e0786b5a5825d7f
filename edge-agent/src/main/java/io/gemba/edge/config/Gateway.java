package io.gemba.edge.config;

import static io.gemba.model.config.InvalidFieldException.requireId;

/**
 * The gateway's identity.
 *
 * @param id unique gateway id; envelopes carry it with their sequence number
 * @param factory the factory id in the park file that this gateway serves
 * @param sourceClock what to do with readings whose source time is far from the agent's clock
 */
public record Gateway(String id, String factory, SourceClock sourceClock) {
  public Gateway {
    requireId("id", id);
    requireId("factory", factory);
    sourceClock = sourceClock == null ? SourceClock.DEFAULTS : sourceClock;
  }

  public Gateway(String id, String factory) {
    this(id, factory, null);
  }
}
