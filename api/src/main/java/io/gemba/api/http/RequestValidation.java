package io.gemba.api.http;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaValidationException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.contract.Style;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.RequestUtils;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.openapi.validation.impl.RequestValidatorImpl;
import io.vertx.openapi.validation.transformer.FormTransformer;
import io.vertx.openapi.validation.transformer.LabelTransformer;
import io.vertx.openapi.validation.transformer.MatrixTransformer;
import io.vertx.openapi.validation.transformer.ParameterTransformer;
import io.vertx.openapi.validation.transformer.SimpleTransformer;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Route handler that checks each {@code /api/v1} request against the API's OpenAPI document
 * (parameters' types, ranges and enumerations, required parameters, the request body's schema)
 * before a handler sees it. A request that does not match gets a 400 problem naming the parameter,
 * or {@code body}, and what the document expects. Requests to paths the document does not describe
 * pass on (to the 404 handler).
 */
public final class RequestValidation {

  private static final Pattern PARAMETER =
      Pattern.compile("(?:query|path|header|cookie) parameter (\\S+?)[ .]");

  private final OpenAPIContract contract;
  private final RequestValidatorImpl bodyValidator;
  private final Map<Parameter, Validator> validators = new ConcurrentHashMap<>();

  /**
   * Values each parameter was found valid with: checking a value is a pure function of the schema
   * and the value, and dashboards ask with the same few values (a scope, a factory, a machine) over
   * and over. Bounded, so that unique values (instants) cannot grow it without end.
   */
  private final Map<Parameter, Set<String>> knownValid = new ConcurrentHashMap<>();

  private static final int KNOWN_VALID_PER_PARAMETER = 1_000;

  private RequestValidation(OpenAPIContract contract, RequestValidatorImpl bodyValidator) {
    this.contract = contract;
    this.bodyValidator = bodyValidator;
  }

  /**
   * Prepares the validator from the API's OpenAPI document (YAML text). Only requests are checked:
   * the responses, whose media types (problem+json, CSV, event streams) the validator does not
   * know, are left out of its copy.
   */
  public static Future<RequestValidation> load(Vertx vertx, String openApiYaml) {
    JsonObject document;
    try {
      document =
          new JsonObject(YAML.readValue(openApiYaml, new TypeReference<Map<String, Object>>() {}));
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
    JsonObject forRequests = document.copy();
    forRequests.getJsonObject("components").remove("responses");
    JsonObject paths = forRequests.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : item.fieldNames()) {
        item.getJsonObject(method)
            .put(
                "responses",
                new JsonObject()
                    .put("default", new JsonObject().put("description", "see the document")));
      }
    }
    return OpenAPIContract.from(vertx, forRequests)
        .map(
            contract -> new RequestValidation(contract, new RequestValidatorImpl(vertx, contract)));
  }

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  public void handle(RoutingContext ctx) {
    Operation operation = contract.findOperation(ctx.request().path(), ctx.request().method());
    if (operation == null) {
      ctx.next();
      return;
    }
    Buffer body = ctx.body() == null || ctx.body().buffer() == null ? null : ctx.body().buffer();
    RequestUtils.extract(
            ctx.request(),
            operation,
            () -> Future.succeededFuture(body == null ? Buffer.buffer() : body))
        .onSuccess(
            request -> {
              try {
                validate(operation, request);
              } catch (ValidatorException e) {
                Problem.send(ctx, problem(ctx, operation, e));
                return;
              }
              ctx.next();
            })
        .onFailure(e -> Problem.send(ctx, problem(ctx, operation, e)));
  }

  /**
   * Checks the request's parameters and body as {@link RequestValidator#validate} does, with three
   * differences that took the live endpoint from a fifth of its throughput with the library's
   * validator back to close to what it had without checks (docs/benchmarks.md): each parameter's
   * schema validator is built once, not per request; a value a parameter was already found valid
   * with is not checked again; and the checks run here on the event loop rather than on a worker
   * thread.
   */
  private void validate(Operation operation, ValidatableRequest request) {
    for (Parameter parameter : operation.getParameters()) {
      Map<String, RequestParameter> values =
          switch (parameter.getIn()) {
            case QUERY -> request.getQuery();
            case PATH -> request.getPathParameters();
            case HEADER -> request.getHeaders();
            case COOKIE -> request.getCookies();
          };
      RequestParameter value = values.get(parameter.getName());
      if (value == null || value.isNull()) {
        if (parameter.isRequired()) {
          throw ValidatorException.createMissingRequiredParameter(parameter);
        }
        continue;
      }
      ParameterTransformer transformer = TRANSFORMERS.get(parameter.getStyle());
      if (transformer == null) {
        throw ValidatorException.createUnsupportedValueFormat(parameter);
      }
      String raw = String.valueOf(value.get());
      Set<String> valid = knownValid.computeIfAbsent(parameter, p -> ConcurrentHashMap.newKeySet());
      if (valid.contains(raw)) {
        continue;
      }
      Object typed = transformer.transform(parameter, raw);
      OutputUnit result = validators.computeIfAbsent(parameter, this::validatorOf).validate(typed);
      try {
        result.checkValidity();
      } catch (JsonSchemaValidationException e) {
        throw SchemaValidationException.createErrorFromOutputUnitType(parameter, result, e);
      }
      if (valid.size() < KNOWN_VALID_PER_PARAMETER) {
        valid.add(raw);
      }
    }
    if (operation.getRequestBody() != null) {
      bodyValidator.validateBody(operation.getRequestBody(), request);
    }
  }

  private Validator validatorOf(Parameter parameter) {
    return contract.getSchemaRepository().validator(parameter.getSchema());
  }

  private static final Map<Style, ParameterTransformer> TRANSFORMERS =
      Map.of(
          Style.SIMPLE, new SimpleTransformer(),
          Style.LABEL, new LabelTransformer(),
          Style.MATRIX, new MatrixTransformer(),
          Style.FORM, new FormTransformer());

  /**
   * The problem for a request the document refuses: the parameter named, what it expects (in the
   * API's own words for formats and enumerations), and the value received.
   */
  static Problem problem(RoutingContext ctx, Operation operation, Throwable e) {
    if (!(e instanceof ValidatorException invalid)) {
      return new Problem(400, "Invalid request", String.valueOf(e.getMessage()), null);
    }
    String message = invalid.getMessage();
    Matcher m = PARAMETER.matcher(message + " ");
    if (!m.find()) {
      boolean body = message.contains("body");
      return new Problem(
          400,
          body ? "Invalid request body" : "Invalid request",
          message + reason(invalid).map(r -> ": " + r).orElse(""),
          body ? "body" : null);
    }
    String parameter = m.group(1);
    String expected =
        operation.getParameters().stream()
            .filter(p -> p.getName().equals(parameter))
            .findFirst()
            .map(p -> expectation(p.getSchema()))
            .orElse(null);
    if (expected == null) {
      expected = "expected " + reason(invalid).orElse(message);
    }
    String value = ctx.request().getParam(parameter);
    if (value == null) {
      value = ctx.request().getHeader(parameter);
    }
    return Problem.badParameter(
        parameter, value == null ? expected : expected + ", got '" + value + "'");
  }

  private static Optional<String> reason(ValidatorException e) {
    if (e instanceof SchemaValidationException schema
        && schema.getOutputUnit() != null
        && schema.getOutputUnit().getErrors() != null
        && !schema.getOutputUnit().getErrors().isEmpty()) {
      return Optional.ofNullable(schema.getOutputUnit().getErrors().get(0).getError());
    }
    return Optional.empty();
  }

  /** What a parameter's schema allows, the API's way; null when the schema says nothing plain. */
  private static String expectation(JsonSchema schema) {
    if (schema == null) {
      return null;
    }
    JsonArray values = schema.get("enum");
    if (values != null) {
      return "expected one of " + String.join(", ", values.stream().map(String::valueOf).toList());
    }
    if ("date-time".equals(schema.get("format"))) {
      return "expected an ISO-8601 instant like 2026-11-22T08:00:00Z";
    }
    if ("integer".equals(schema.get("type"))) {
      Number min = schema.get("minimum");
      Number max = schema.get("maximum");
      return min != null && max != null
          ? "expected a whole number from " + min + " to " + max
          : "expected a whole number";
    }
    return null;
  }
}
