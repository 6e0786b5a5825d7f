package io.gemba.edge.security;

import io.gemba.edge.config.TlsConfig;
import javax.net.SocketFactory;

/** Socket factories for MQTT connections, plain or TLS, always with TCP_NODELAY. */
public final class MqttSockets {

  private MqttSockets() {}

  /**
   * @param field the configuration field of the TLS settings, for messages ({@code uplink.tls})
   * @param broker {@code tcp://} or {@code ssl://} URL
   * @param tls TLS settings for {@code ssl://}; null there means the JVM's trust store
   */
  public static SocketFactory forBroker(String field, String broker, TlsConfig tls) {
    if (broker.startsWith("ssl://")) {
      return TlsSockets.of(field, tls != null ? tls : new TlsConfig(null, null, null));
    }
    return new NoDelaySocketFactory();
  }
}
