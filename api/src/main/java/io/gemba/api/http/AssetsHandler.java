package io.gemba.api.http;

import io.gemba.api.security.ApiSecurity;
import io.gemba.api.security.ApiUser;
import io.gemba.model.asset.Factory;
import io.gemba.model.asset.Line;
import io.gemba.model.asset.Machine;
import io.gemba.model.asset.Park;
import io.gemba.model.asset.Signal;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /api/v1/assets}: the park hierarchy from the park file. */
public final class AssetsHandler implements Handler<RoutingContext> {

  private final JsonObject body;

  public AssetsHandler(Park park) {
    this.body = toJson(park);
  }

  /** The hierarchy; a user bound to one factory sees that factory only. */
  @Override
  public void handle(RoutingContext ctx) {
    ApiUser user = ApiSecurity.user(ctx);
    JsonObject visible = body;
    if (user != null && user.factory() != null) {
      visible = body.copy();
      JsonArray mine = new JsonArray();
      body.getJsonArray("factories").stream()
          .map(JsonObject.class::cast)
          .filter(f -> f.getString("id").equals(user.factory()))
          .forEach(mine::add);
      visible.put("factories", mine);
    }
    ctx.response().putHeader("Content-Type", "application/json").end(visible.encode());
  }

  static JsonObject toJson(Park park) {
    JsonArray factories = new JsonArray();
    for (Factory f : park.factories()) {
      JsonArray lines = new JsonArray();
      for (Line l : f.lines()) {
        JsonArray machines = new JsonArray();
        for (Machine m : l.machines()) {
          JsonArray signals = new JsonArray();
          for (Signal s : m.signals()) {
            signals.add(new JsonObject().put("name", s.name()).put("unit", s.unit()));
          }
          machines.add(
              new JsonObject()
                  .put("id", m.id())
                  .put("name", m.name())
                  .put("kind", m.kind().wireName())
                  .put("idealCycleSeconds", m.idealCycleSeconds())
                  .put("signals", signals));
        }
        lines.add(
            new JsonObject().put("id", l.id()).put("name", l.name()).put("machines", machines));
      }
      factories.add(
          new JsonObject()
              .put("id", f.id())
              .put("name", f.name())
              .put("timeZone", f.timeZone().getId())
              .put("lines", lines));
    }
    return new JsonObject()
        .put("id", park.id())
        .put("name", park.name())
        .put("factories", factories);
  }
}
