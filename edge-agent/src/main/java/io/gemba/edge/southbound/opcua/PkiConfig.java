package io.gemba.edge.southbound.opcua;

import java.nio.file.Path;

/**
 * Where the agent keeps its OPC UA application certificate and the certificates it trusts.
 *
 * @param dir the PKI directory; default {@code pki} beside the buffer directory
 * @param applicationUri the agent's application URI, written into its certificate; default {@code
 *     urn:gemba:edge-agent:<gateway id>}
 */
public record PkiConfig(Path dir, String applicationUri) {}
