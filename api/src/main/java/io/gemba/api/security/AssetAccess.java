package io.gemba.api.security;

import io.gemba.api.http.Problem;
import io.gemba.model.asset.Factory;
import io.gemba.model.asset.MachinePlacement;
import io.gemba.model.asset.Park;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.function.Function;

/**
 * The park's factories and machines as the request's user may see them. A user bound to one factory
 * gets 403 for any other id, whether it exists or not, before any 404: what other factories hold is
 * not theirs to learn, not even which ids exist.
 */
public final class AssetAccess {

  private AssetAccess() {}

  /**
   * The factory {@code id}, once the user may read it.
   *
   * @param unknown the problem for an id the park does not have (404 in a path, 400 in a filter)
   */
  public static Factory factory(
      RoutingContext ctx, Park park, String id, Function<String, Problem> unknown) {
    ApiUser user = ApiSecurity.user(ctx);
    if (user != null && user.factory() != null && !user.factory().equals(id)) {
      throw forbidden(user);
    }
    return park.findFactory(id == null ? "" : id).orElseThrow(() -> unknown.apply(id));
  }

  /** The machine {@code id} with its place, once the user may read its factory. */
  public static MachinePlacement machine(
      RoutingContext ctx, Park park, String id, Function<String, Problem> unknown) {
    ApiUser user = ApiSecurity.user(ctx);
    Optional<MachinePlacement> found = park.findMachine(id == null ? "" : id);
    if (user != null
        && user.factory() != null
        && !found.map(m -> m.factory().id().equals(user.factory())).orElse(false)) {
      throw forbidden(user);
    }
    return found.orElseThrow(() -> unknown.apply(id));
  }

  static Problem forbidden(ApiUser user) {
    return new Problem(
        403,
        "Forbidden",
        "user '" + user.name() + "' reads factory '" + user.factory() + "' only",
        null);
  }
}
