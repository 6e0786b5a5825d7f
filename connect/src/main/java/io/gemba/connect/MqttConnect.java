package io.gemba.connect;

import io.gemba.model.config.InvalidFieldException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paho connection options for a {@link BrokerEndpoint}: its socket factory (TLS with host name
 * verification, or plain TCP), its user, and its password read from the password file at every
 * connect, automatic reconnects included.
 */
public final class MqttConnect {

  private static final Logger log = LoggerFactory.getLogger(MqttConnect.class);

  private MqttConnect() {}

  /**
   * Options to connect to {@code endpoint}; set the session settings (clean start, keep-alive,
   * reconnects) on them as the client needs.
   *
   * @param field the configuration field or option of the TLS settings, for messages
   */
  public static MqttConnectionOptions options(BrokerEndpoint endpoint, String field) {
    MqttConnectionOptions options = new PasswordFromFile(endpoint);
    options.setSocketFactory(endpoint.socketFactory(field));
    options.setHttpsHostnameVerificationEnabled(true);
    if (endpoint.username() != null) {
      options.setUserName(endpoint.username());
    }
    if (endpoint.sendsPasswordInClear()) {
      log.warn(
          "mqtt password sent in clear broker={} user={}: allowed by allowPlaintext; use ssl://"
              + " unless this network is trusted",
          endpoint.broker(),
          endpoint.username());
    }
    return options;
  }

  /**
   * Options whose password is read from its file whenever Paho builds a CONNECT packet: the first
   * connect and every reconnect. Nothing of it is kept in memory between connects.
   */
  private static final class PasswordFromFile extends MqttConnectionOptions {
    private final BrokerEndpoint endpoint;

    PasswordFromFile(BrokerEndpoint endpoint) {
      this.endpoint = endpoint;
    }

    @Override
    public byte[] getPassword() {
      try {
        return endpoint.password();
      } catch (InvalidFieldException e) {
        // Connecting without it fails as "not authorized", and is tried again later.
        log.error(
            "mqtt password not read broker={} user={} reason={}",
            endpoint.broker(),
            endpoint.username(),
            e.expected());
        return null;
      }
    }
  }
}
