package io.gemba.edge.southbound.modbus;

import io.gemba.model.config.InvalidFieldException;
import java.net.URI;
import java.net.URISyntaxException;

/** Where a Modbus TCP device listens, from {@code tcp://host:port} (port 502 when absent). */
public record ModbusEndpoint(String host, int port) {

  /** The standard Modbus TCP port. */
  public static final int DEFAULT_PORT = 502;

  /**
   * @throws InvalidFieldException naming {@code field} when {@code endpoint} is not tcp://host:port
   */
  public static ModbusEndpoint parse(String field, String endpoint) {
    try {
      URI uri = new URI(endpoint);
      if (!"tcp".equals(uri.getScheme())
          || uri.getHost() == null
          || (uri.getPath() != null && !uri.getPath().isEmpty())
          || uri.getUserInfo() != null
          || uri.getQuery() != null) {
        throw new URISyntaxException(endpoint, "not tcp://host:port");
      }
      return new ModbusEndpoint(uri.getHost(), uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort());
    } catch (URISyntaxException | NullPointerException e) {
      throw new InvalidFieldException(
          field, "expected tcp://host:port (port 502 by default), got '" + endpoint + "'");
    }
  }
}
