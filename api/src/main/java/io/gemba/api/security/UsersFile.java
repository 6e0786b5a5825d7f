package io.gemba.api.security;

import io.gemba.model.asset.Park;
import io.gemba.model.config.ConfigException;
import io.gemba.model.config.InvalidFieldException;
import io.gemba.model.config.YamlConfigLoader;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The users who may call the API (docs/api.md#security): {@code users: [{name, role, factory}]}.
 * Tokens are issued to these names; removing a user from the file revokes their tokens.
 */
public record UsersFile(List<ApiUser> users) {
  public UsersFile {
    if (users == null || users.isEmpty()) {
      throw new InvalidFieldException("users", "expected a list of at least one user");
    }
    users = List.copyOf(users);
    Set<String> names = new HashSet<>();
    for (int i = 0; i < users.size(); i++) {
      if (!names.add(users.get(i).name())) {
        throw new InvalidFieldException(
            "users[" + i + "].name", "duplicate user '" + users.get(i).name() + "'");
      }
    }
  }

  /**
   * Loads and checks the file; every factory named must be in the park.
   *
   * @throws ConfigException naming the file, the field and what was expected
   */
  public static UsersFile load(Path file, Park park) {
    UsersFile loaded = new YamlConfigLoader().load(file, UsersFile.class);
    for (int i = 0; i < loaded.users().size(); i++) {
      String factory = loaded.users().get(i).factory();
      if (factory != null && park.findFactory(factory).isEmpty()) {
        throw new ConfigException(
            file,
            "users[" + i + "].factory",
            "no factory '" + factory + "' in park '" + park.id() + "'",
            null);
      }
    }
    return loaded;
  }

  public Optional<ApiUser> find(String name) {
    return users.stream().filter(u -> u.name().equals(name)).findFirst();
  }
}
