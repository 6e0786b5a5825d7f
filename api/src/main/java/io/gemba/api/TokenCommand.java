package io.gemba.api;

import io.gemba.api.security.ApiSecurity;
import io.gemba.api.security.ApiUser;
import io.gemba.api.security.Role;
import io.gemba.api.security.UsersFile;
import io.gemba.model.asset.Park;
import io.gemba.model.config.ConfigException;
import io.gemba.model.config.InvalidFieldException;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code api token --park F --users F --user NAME [--days N | --hours N]}: prints a bearer token.
 * Long-lived tokens are for wall screens: only a viewer's may last days (a year at most); anyone
 * else's lasts a shift at most, and people sign in instead.
 */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description =
        "Prints a bearer token for a user of the users file: a viewer's for up to 365 days (wall"
            + " screens), anyone else's for up to 12 hours.")
final class TokenCommand implements Callable<Integer> {

  @Option(names = "--park", required = true, description = "Park file (YAML).")
  Path park;

  @Option(names = "--users", required = true, description = "Users file (YAML).")
  Path users;

  @Option(names = "--key-file", defaultValue = "data/api/api.key", description = "Signing key.")
  Path keyFile;

  @Option(names = "--user", required = true, description = "The user's name in the file.")
  String user;

  @Option(
      names = "--days",
      description = "Days the token is valid (viewers only, 1 to 365; default 30 for a viewer).")
  Integer days;

  @Option(
      names = "--hours",
      description = "Hours the token is valid (1 to 12 for all but viewers; default 12).")
  Integer hours;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    UsersFile list;
    ApiUser found;
    Duration validFor;
    try {
      list = UsersFile.load(users, Park.load(park));
      found =
          list.find(user)
              .orElseThrow(
                  () -> new InvalidFieldException("--user", "no user '" + user + "' in " + users));
      validFor = lifetime(found);
    } catch (ConfigException | InvalidFieldException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return 2;
    }
    Vertx vertx = Vertx.vertx();
    try {
      ApiSecurity security = new ApiSecurity(vertx, ApiSecurity.loadOrCreateKey(keyFile), list, 1);
      spec.commandLine().getOut().println(security.issue(found, validFor));
    } catch (InvalidFieldException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return 2;
    } finally {
      vertx.close();
    }
    return 0;
  }

  private Duration lifetime(ApiUser found) {
    if (days != null && hours != null) {
      throw new InvalidFieldException("--days", "expected --days or --hours, not both");
    }
    Duration max = found.role().maxTokenLifetime();
    Duration wanted;
    String option;
    if (days != null) {
      wanted = Duration.ofDays(days);
      option = "--days";
    } else if (hours != null) {
      wanted = Duration.ofHours(hours);
      option = "--hours";
    } else {
      return found.role() == Role.VIEWER ? Duration.ofDays(30) : max;
    }
    if (wanted.isNegative() || wanted.isZero() || wanted.compareTo(max) > 0) {
      throw new InvalidFieldException(
          option,
          "a "
              + found.role().wireName()
              + "'s token may be valid for 1 hour to "
              + (max.toDays() > 0 ? max.toDays() + " days" : max.toHours() + " hours")
              + (found.role() == Role.VIEWER
                  ? ""
                  : "; people sign in on the dashboard, long-lived tokens are for viewers'"
                      + " wall screens"));
    }
    return wanted;
  }
}
