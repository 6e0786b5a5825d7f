package io.gemba.model.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Binds one YAML file to a configuration record and turns every binding failure into a {@link
 * ConfigException} that names the file, the field path and what was expected. Unknown keys are
 * errors: a misspelt key silently ignored is how plants end up running on defaults.
 */
public final class YamlConfigLoader {

  private final ObjectMapper mapper =
      YAMLMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
          .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
          .addModule(new JavaTimeModule())
          .build();

  public <T> T load(Path file, Class<T> type) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file, "", "file not found", e);
    } catch (IOException e) {
      throw new ConfigException(file, "", "cannot read file: " + e.getMessage(), e);
    }
    return parse(file, text, type);
  }

  /** Binds {@code text}; {@code file} only names the source in error messages. */
  public <T> T parse(Path file, String text, Class<T> type) {
    try {
      JsonNode tree = mapper.readTree(text);
      if (tree == null || tree.isMissingNode() || tree.isNull()) {
        throw new ConfigException(file, "", "the file is empty", null);
      }
      UnknownKeyCheck.find(tree, type, "")
          .ifPresent(
              unknown -> {
                throw new ConfigException(
                    file,
                    unknown.path(),
                    "unknown key; expected one of: " + String.join(", ", unknown.known()),
                    null);
              });
      return mapper.treeToValue(tree, type);
    } catch (JsonMappingException e) {
      throw translate(file, e);
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " at line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr();
      throw new ConfigException(
          file, "", "not valid YAML" + where + ": " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Every problem of a file that does not load, not only the first: all unknown keys, and for each
   * part that cannot be bound (a section, a list element) the deepest field that fails. Empty when
   * the file loads.
   */
  public <T> List<ConfigException> problems(Path file, Class<T> type) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      return List.of(new ConfigException(file, "", "cannot read file: " + e.getMessage(), e));
    }
    JsonNode tree;
    try {
      tree = mapper.readTree(text);
    } catch (JsonProcessingException e) {
      try {
        parse(file, text, type);
      } catch (ConfigException problem) {
        return List.of(problem);
      }
      return List.of();
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      return List.of(new ConfigException(file, "", "the file is empty", null));
    }
    List<ConfigException> problems = new ArrayList<>();
    for (UnknownKeyCheck.Finding unknown : UnknownKeyCheck.findAll(tree, type, "")) {
      problems.add(
          new ConfigException(
              file,
              unknown.path(),
              "unknown key; expected one of: " + String.join(", ", unknown.known()),
              null));
    }
    if (problems.isEmpty()) {
      collectBindingProblems(file, tree, type, "", problems);
    }
    return problems;
  }

  private void collectBindingProblems(
      Path file, JsonNode node, Type type, String path, List<ConfigException> out) {
    try {
      mapper.treeToValue(node, mapper.getTypeFactory().constructType(type));
      return;
    } catch (JsonMappingException e) {
      int before = out.size();
      Class<?> raw = mapper.getTypeFactory().constructType(type).getRawClass();
      if (raw.isRecord() && node.isObject()) {
        for (RecordComponent c : raw.getRecordComponents()) {
          JsonNode child = node.get(c.getName());
          if (child != null && !child.isNull()) {
            collectBindingProblems(file, child, c.getGenericType(), join(path, c.getName()), out);
          }
        }
      } else if (List.class.isAssignableFrom(raw)
          && node.isArray()
          && type instanceof ParameterizedType list) {
        for (int i = 0; i < node.size(); i++) {
          collectBindingProblems(
              file, node.get(i), list.getActualTypeArguments()[0], path + "[" + i + "]", out);
        }
      }
      if (out.size() == before) {
        // Nothing below fails alone: the problem is at this level (a missing or conflicting key).
        out.add(translate(file, e, path));
      }
    } catch (JsonProcessingException e) {
      out.add(new ConfigException(file, path, e.getOriginalMessage(), e));
    }
  }

  private static ConfigException translate(Path file, JsonMappingException e) {
    return translate(file, e, "");
  }

  private static ConfigException translate(Path file, JsonMappingException e, String prefix) {
    String path = join(prefix, describePath(e.getPath()));
    Throwable cause = e.getCause();
    if (e instanceof ValueInstantiationException && cause instanceof InvalidFieldException field) {
      return new ConfigException(file, join(path, field.field()), field.expected(), e);
    }
    if (e instanceof ValueInstantiationException && cause != null) {
      return new ConfigException(file, path, cause.getMessage(), e);
    }
    if (e instanceof UnrecognizedPropertyException unknown) {
      String known =
          unknown.getKnownPropertyIds().stream()
              .map(Object::toString)
              .sorted()
              .collect(Collectors.joining(", "));
      return new ConfigException(file, path, "unknown key; expected one of: " + known, e);
    }
    if (e instanceof InvalidFormatException format) {
      return new ConfigException(
          file,
          path,
          "expected " + describeType(format.getTargetType()) + ", got '" + format.getValue() + "'",
          e);
    }
    if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
      return new ConfigException(
          file, path, "expected " + describeType(mismatch.getTargetType()), e);
    }
    return new ConfigException(file, path, e.getOriginalMessage(), e);
  }

  private static String describeType(Class<?> type) {
    if (type.isEnum()) {
      return "one of "
          + List.of(type.getEnumConstants()).stream()
              .map(c -> c.toString().toLowerCase(Locale.ROOT))
              .collect(Collectors.joining(", "));
    }
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      return "a whole number";
    }
    if (type == double.class || type == Double.class) {
      return "a number";
    }
    if (List.class.isAssignableFrom(type)) {
      return "a list";
    }
    if (type == String.class) {
      return "a text value";
    }
    return "a mapping (" + type.getSimpleName() + ")";
  }

  private static String describePath(List<JsonMappingException.Reference> refs) {
    StringBuilder out = new StringBuilder();
    for (JsonMappingException.Reference ref : refs) {
      if (ref.getIndex() >= 0) {
        out.append('[').append(ref.getIndex()).append(']');
      } else if (ref.getFieldName() != null) {
        if (out.length() > 0) {
          out.append('.');
        }
        out.append(ref.getFieldName());
      }
    }
    return out.toString();
  }

  private static String join(String path, String field) {
    if (field.isEmpty()) {
      return path;
    }
    if (field.startsWith("[")) {
      return path + field;
    }
    return path.isEmpty() ? field : path + "." + field;
  }
}
