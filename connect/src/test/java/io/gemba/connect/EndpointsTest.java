package io.gemba.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gemba.model.config.InvalidFieldException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What the broker and InfluxDB endpoints accept, and what they refuse with which field named. */
class EndpointsTest {

  private static final Path PASSWORD = Path.of("/etc/gemba/secrets/gw-a.pass");
  private static final Path CA = Path.of("/etc/gemba/ca.crt");

  private static InvalidFieldException refusal(Runnable construct) {
    try {
      construct.run();
    } catch (InvalidFieldException e) {
      return e;
    }
    throw new AssertionError("expected a refusal");
  }

  @Test
  void passwordOverPlainTcp_isRefusedUnlessAllowed() {
    InvalidFieldException e =
        refusal(() -> new BrokerEndpoint("tcp://broker:1883", "gw-a", PASSWORD, null, false));
    assertThat(e.field()).isEqualTo("broker");
    assertThat(e.expected()).contains("in clear", "ssl://");

    BrokerEndpoint allowed = new BrokerEndpoint("tcp://broker:1883", "gw-a", PASSWORD, null, true);
    assertThat(allowed.sendsPasswordInClear()).isTrue();
    BrokerEndpoint secured =
        new BrokerEndpoint(
            "ssl://broker:8883", "gw-a", PASSWORD, new TlsFiles(CA, null, null), false);
    assertThat(secured.sendsPasswordInClear()).isFalse();
    assertThat(secured.isTls()).isTrue();
    // Anonymous plaintext carries no secret: allowed without the flag.
    assertThat(BrokerEndpoint.anonymous("tcp://broker:1883").sendsPasswordInClear()).isFalse();
  }

  @Test
  void brokerUrl_withCredentialsOrAPath_orWithoutAPort_isRefused() {
    for (String url :
        new String[] {
          "ssl://gw-a:secret@broker:8883", "ssl://broker", "ssl://broker:8883/x", "http://b:1"
        }) {
      InvalidFieldException e = refusal(() -> BrokerEndpoint.anonymous(url));
      assertThat(e.field()).as(url).isEqualTo("broker");
    }
    assertThat(refusal(() -> BrokerEndpoint.anonymous("ssl://gw-a:secret@broker:8883")).expected())
        .contains("no user or password in the URL")
        .doesNotContain("secret");
  }

  @Test
  void tlsFilesOnPlainTcp_passwordWithoutUser_andHalfAClientCertificate_areRefused() {
    assertThat(
            refusal(
                    () ->
                        new BrokerEndpoint(
                            "tcp://b:1883", null, null, new TlsFiles(CA, null, null), false))
                .field())
        .isEqualTo("broker");
    assertThat(
            refusal(() -> new BrokerEndpoint("ssl://b:8883", null, PASSWORD, null, false)).field())
        .isEqualTo("username");
    assertThat(refusal(() -> new TlsFiles(CA, Path.of("c.pem"), null)).field())
        .isEqualTo("keyFile");
    assertThat(refusal(() -> new BrokerEndpoint("ssl://b:8883", "a b", null, null, false)).field())
        .isEqualTo("username");
  }

  @Test
  void influx_passwordOverHttp_isRefusedUnlessAllowed_andUserAndPasswordGoTogether() {
    InvalidFieldException e =
        refusal(() -> new InfluxEndpoint("http://influx:8086", "gemba-api", PASSWORD, null, false));
    assertThat(e.field()).isEqualTo("url");
    assertThat(new InfluxEndpoint("http://influx:8086", "gemba-api", PASSWORD, null, true).isTls())
        .isFalse();
    assertThat(
            refusal(() -> new InfluxEndpoint("https://i:8086", "gemba-api", null, null, false))
                .field())
        .isEqualTo("passwordFile");
    assertThat(refusal(() -> new InfluxEndpoint("http://i:8086", null, null, CA, false)).field())
        .isEqualTo("url");
    assertThat(refusal(() -> InfluxEndpoint.open("https://u:p@i:8086")).expected())
        .doesNotContain("u:p");
  }

  @Test
  void endpoints_surviveJavaSerialization_asFlinkShipsThem() throws Exception {
    BrokerEndpoint broker =
        new BrokerEndpoint(
            "ssl://broker:8884",
            "gemba-kpi",
            PASSWORD,
            new TlsFiles(CA, Path.of("/c.pem"), Path.of("/k.pem")),
            false);
    InfluxEndpoint influx =
        new InfluxEndpoint("https://influx:8086", "gemba-kpi", PASSWORD, CA, false);
    assertThat(roundTrip(broker)).isEqualTo(broker);
    assertThat(roundTrip(influx)).isEqualTo(influx);
    assertThat(roundTrip(BrokerEndpoint.anonymous("tcp://b:1883")))
        .isEqualTo(BrokerEndpoint.anonymous("tcp://b:1883"));
  }

  private static Object roundTrip(Object o) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return in.readObject();
    }
  }

  @Test
  void optionsMixins_nameTheOptionThatIsWrong() {
    io.gemba.connect.cli.BrokerOptions options = new io.gemba.connect.cli.BrokerOptions();
    new picocli.CommandLine(options).parseArgs("--mqtt-password-file", "/p");
    InvalidFieldException e = refusal(() -> options.endpoint("ssl://b:8883"));
    assertThat(e.field()).isEqualTo("--mqtt-user");
    io.gemba.connect.cli.InfluxOptions influx = new io.gemba.connect.cli.InfluxOptions();
    new picocli.CommandLine(influx).parseArgs("--influx-user", "u", "--influx-password-file", "/p");
    assertThat(refusal(() -> influx.endpoint("http://i:8086")).field()).isEqualTo("--influx");
    assertThatThrownBy(() -> influx.endpoint("http://i:8086"))
        .hasMessageContaining("--influx-allow-plaintext");
  }
}
