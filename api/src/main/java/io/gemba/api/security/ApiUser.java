package io.gemba.api.security;

import io.gemba.model.config.InvalidFieldException;

/**
 * A user of the API, from the users file.
 *
 * @param factory the factory the user belongs to: required for a plant engineer, optional for a
 *     viewer (none: the whole park), not allowed for a park operator
 */
public record ApiUser(String name, Role role, String factory) {
  public ApiUser {
    if (name == null || !name.matches("[A-Za-z0-9._@-]{1,64}")) {
      throw new InvalidFieldException(
          "name", "expected 1 to 64 letters, digits, '.', '_', '@' or '-', got '" + name + "'");
    }
    if (role == null) {
      throw new InvalidFieldException(
          "role", "expected one of park-operator, plant-engineer, viewer");
    }
    if (role == Role.PLANT_ENGINEER && factory == null) {
      throw new InvalidFieldException("factory", "a plant-engineer belongs to one factory");
    }
    if (role == Role.PARK_OPERATOR && factory != null) {
      throw new InvalidFieldException(
          "factory", "a park-operator reads every factory; leave factory out");
    }
  }

  /** Whether this user may read {@code factoryId}. */
  public boolean mayRead(String factoryId) {
    return factory == null || factory.equals(factoryId);
  }

  /** Whether this user may read what concerns the whole park (park rollups, gateways). */
  public boolean mayReadPark() {
    return factory == null;
  }
}
