package io.gemba.model.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Finds the keys in a YAML tree that the target record tree does not declare. Jackson reports
 * unknown keys on records only after the record was built, so a misspelt required key would surface
 * as "missing"; this check runs first and names the misspelt key instead.
 */
final class UnknownKeyCheck {

  /** An unknown key at {@code path}, with the keys that would have been accepted there. */
  record Finding(String path, List<String> known) {}

  private UnknownKeyCheck() {}

  static Optional<Finding> find(JsonNode node, Type type, String path) {
    List<Finding> all = new ArrayList<>();
    collect(node, type, path, all);
    return all.stream().findFirst();
  }

  /** Every unknown key, in file order. */
  static List<Finding> findAll(JsonNode node, Type type, String path) {
    List<Finding> all = new ArrayList<>();
    collect(node, type, path, all);
    return all;
  }

  private static void collect(JsonNode node, Type type, String path, List<Finding> out) {
    Class<?> raw = rawClass(type);
    if (raw == null || node == null) {
      return;
    }
    if (raw.isRecord() && node.isObject()) {
      collectInRecord(node, raw, path, out);
    }
    if (List.class.isAssignableFrom(raw) && node.isArray()) {
      Type element = typeArgument(type, 0);
      for (int i = 0; i < node.size(); i++) {
        collect(node.get(i), element, path + "[" + i + "]", out);
      }
    }
    if (Map.class.isAssignableFrom(raw) && node.isObject()) {
      Type value = typeArgument(type, 1);
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        collect(entry.getValue(), value, join(path, entry.getKey()), out);
      }
    }
  }

  private static void collectInRecord(
      JsonNode node, Class<?> record, String path, List<Finding> out) {
    Map<String, RecordComponent> components =
        Arrays.stream(record.getRecordComponents())
            .collect(Collectors.toMap(RecordComponent::getName, c -> c));
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      RecordComponent component = components.get(entry.getKey());
      String childPath = join(path, entry.getKey());
      if (component == null) {
        out.add(new Finding(childPath, components.keySet().stream().sorted().toList()));
      } else {
        collect(entry.getValue(), component.getGenericType(), childPath, out);
      }
    }
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
