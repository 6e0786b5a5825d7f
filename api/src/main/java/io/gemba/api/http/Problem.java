package io.gemba.api.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Errors as RFC 9457 problem details ({@code application/problem+json}). A problem about a request
 * parameter names it in {@code parameter}, so a client can point at the field.
 */
public final class Problem extends RuntimeException {

  private final int status;
  private final String title;
  private final String parameter;

  public Problem(int status, String title, String detail, String parameter) {
    super(detail);
    this.status = status;
    this.title = title;
    this.parameter = parameter;
  }

  public static Problem badParameter(String parameter, String detail) {
    return new Problem(400, "Invalid request parameter", detail, parameter);
  }

  public static Problem notFound(String detail) {
    return new Problem(404, "Not found", detail, null);
  }

  public int status() {
    return status;
  }

  public JsonObject toJson(String instance) {
    JsonObject json =
        new JsonObject()
            .put("type", "about:blank")
            .put("title", title)
            .put("status", status)
            .put("detail", getMessage())
            .put("instance", instance);
    if (parameter != null) {
      json.put("parameter", parameter);
    }
    return json;
  }

  /** Sends {@code problem} as the response, with the request's id. */
  public static void send(RoutingContext ctx, Problem problem) {
    JsonObject body = problem.toJson(ctx.request().path());
    String id = ctx.get(SecurityHeaders.REQUEST_ID);
    if (id != null) {
      body.put("requestId", id);
    }
    ctx.response()
        .setStatusCode(problem.status())
        .putHeader("Content-Type", "application/problem+json")
        .end(body.encode());
  }
}
