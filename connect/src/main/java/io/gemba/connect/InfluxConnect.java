package io.gemba.connect;

import io.gemba.model.config.InvalidFieldException;
import java.io.IOException;
import java.time.Duration;
import okhttp3.Credentials;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An influxdb-java client for an {@link InfluxEndpoint}: TLS verified against its CA file (host
 * name included, as OkHttp always does), and HTTP basic authentication with the password read from
 * its file for every request. Credentials never go into URLs, where InfluxDB's and proxies' access
 * logs would keep them.
 */
public final class InfluxConnect {

  private static final Logger log = LoggerFactory.getLogger(InfluxConnect.class);

  private InfluxConnect() {}

  /**
   * A client whose every request must complete within {@code timeout}.
   *
   * @param field the option or configuration field of the endpoint, for messages
   */
  public static InfluxDB connect(InfluxEndpoint endpoint, Duration timeout, String field) {
    OkHttpClient.Builder http =
        new OkHttpClient.Builder()
            .connectTimeout(Duration.ofSeconds(5))
            .readTimeout(timeout)
            .writeTimeout(timeout)
            .callTimeout(timeout);
    if (endpoint.isTls()) {
      TlsSockets.Context tls = endpoint.tlsContext(field);
      http.sslSocketFactory(tls.context().getSocketFactory(), tls.trustManager());
    }
    if (endpoint.username() != null) {
      if (endpoint.sendsPasswordInClear()) {
        log.warn(
            "influx password sent in clear url={} user={}: allowed by allowPlaintext; use https://"
                + " unless this network is trusted",
            endpoint.url(),
            endpoint.username());
      }
      http.addInterceptor(new BasicAuth(endpoint));
    }
    return InfluxDBFactory.connect(endpoint.url(), http);
  }

  /** Adds the user and the password, read from its file now, to every request. */
  private static final class BasicAuth implements Interceptor {
    private final InfluxEndpoint endpoint;

    BasicAuth(InfluxEndpoint endpoint) {
      this.endpoint = endpoint;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
      String password;
      try {
        password = SecretFile.readString("passwordFile", endpoint.passwordFile());
      } catch (InvalidFieldException e) {
        throw new IOException("InfluxDB password not read: " + e.expected(), e);
      }
      return chain.proceed(
          chain
              .request()
              .newBuilder()
              .header("Authorization", Credentials.basic(endpoint.username(), password))
              .build());
    }
  }
}
