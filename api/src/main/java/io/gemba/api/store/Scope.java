package io.gemba.api.store;

/**
 * What a KPI query is about: one machine, one line of a factory, one factory, or the park.
 *
 * @param kind {@code machine}, {@code line}, {@code factory} or {@code park}
 * @param id the machine's, line's, factory's or park's id
 * @param factory the factory, for line and factory scope; empty for a machine and the park
 */
public record Scope(String kind, String id, String factory) {

  public static Scope machine(String id) {
    return new Scope("machine", id, "");
  }

  public static Scope line(String factory, String line) {
    return new Scope("line", line, factory);
  }

  public static Scope factory(String factory) {
    return new Scope("factory", factory, factory);
  }

  public static Scope park(String park) {
    return new Scope("park", park, "");
  }

  public boolean isMachine() {
    return kind.equals("machine");
  }
}
