package io.gemba.model.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Finds the first key in a YAML tree that the target record tree does not declare. Jackson reports
 * unknown keys on records only after the record was built, so a misspelt required key would surface
 * as "missing"; this check runs first and names the misspelt key instead.
 */
final class UnknownKeyCheck {

  /** An unknown key at {@code path}, with the keys that would have been accepted there. */
  record Finding(String path, List<String> known) {}

  private UnknownKeyCheck() {}

  static Optional<Finding> find(JsonNode node, Type type, String path) {
    Class<?> raw = rawClass(type);
    if (raw == null || node == null) {
      return Optional.empty();
    }
    if (raw.isRecord() && node.isObject()) {
      return findInRecord(node, raw, path);
    }
    if (List.class.isAssignableFrom(raw) && node.isArray()) {
      Type element = typeArgument(type, 0);
      for (int i = 0; i < node.size(); i++) {
        Optional<Finding> found = find(node.get(i), element, path + "[" + i + "]");
        if (found.isPresent()) {
          return found;
        }
      }
    }
    if (Map.class.isAssignableFrom(raw) && node.isObject()) {
      Type value = typeArgument(type, 1);
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        Optional<Finding> found = find(entry.getValue(), value, join(path, entry.getKey()));
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<Finding> findInRecord(JsonNode node, Class<?> record, String path) {
    Map<String, RecordComponent> components =
        Arrays.stream(record.getRecordComponents())
            .collect(Collectors.toMap(RecordComponent::getName, c -> c));
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      RecordComponent component = components.get(entry.getKey());
      String childPath = join(path, entry.getKey());
      if (component == null) {
        return Optional.of(new Finding(childPath, components.keySet().stream().sorted().toList()));
      }
      Optional<Finding> found = find(entry.getValue(), component.getGenericType(), childPath);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  private static Class<?> rawClass(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
      return c;
    }
    return null;
  }

  private static Type typeArgument(Type type, int index) {
    if (type instanceof ParameterizedType p && p.getActualTypeArguments().length > index) {
      return p.getActualTypeArguments()[index];
    }
    return Object.class;
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }
}
