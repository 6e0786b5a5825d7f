package io.gemba.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemba.model.asset.Park;
import io.gemba.services.plant.BrokerAccounts;
import io.gemba.services.plant.PlantBrokerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The plant broker files in deploy/mosquitto are what runs: the configuration is the one the local
 * services start (SecuredServicesIT runs it with Debian's mosquitto and tries every refusal), and
 * the ACL files are what Gemba generates for the demo park (deploy/bin/plant-secrets writes them
 * for any park).
 */
class PlantBrokerConfigTest {

  private static final Path CONFIG_DIR = Path.of("mosquitto");

  @Test
  void shippedConfiguration_isTheOneTheSecuredLocalBrokerRuns() throws Exception {
    assertThat(PlantBrokerConfig.shipped())
        .isEqualTo(Files.readString(CONFIG_DIR.resolve("mosquitto.conf")));
  }

  @Test
  void shippedAclFiles_areWhatGembaGeneratesForTheDemoPark() throws Exception {
    BrokerAccounts accounts = BrokerAccounts.of(Park.load(Path.of("parks/demo.yaml")), false);
    assertThat(Files.readString(CONFIG_DIR.resolve("gemba-shared.acl")))
        .as("regenerate with deploy/bin/plant-secrets --park deploy/parks/demo.yaml")
        .isEqualTo(accounts.sharedAcl());
    assertThat(Files.readString(CONFIG_DIR.resolve("gemba-job.acl"))).isEqualTo(accounts.jobAcl());
  }
}
