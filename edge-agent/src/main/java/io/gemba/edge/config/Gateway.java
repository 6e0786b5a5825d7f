package io.gemba.edge.config;

import static io.gemba.model.config.InvalidFieldException.requireId;

/**
 * The gateway's identity.
 *
 * @param id unique gateway id; envelopes carry it with their sequence number
 * @param factory the factory id in the park file that this gateway serves
 */
public record Gateway(String id, String factory) {
  public Gateway {
    requireId("id", id);
    requireId("factory", factory);
  }
}
