package org.abdflow.engine.spec;

import java.util.Optional;
import java.util.SortedSet;

/** The transform types a spec may use; the plugin registry implements it. */
public interface TypeCatalog {

  /** Every known type, for "unknown type X (known: ...)" messages. */
  SortedSet<String> types();

  /** The type's schema, input arity and configure step; empty when unknown. */
  Optional<TypeInfo> lookup(String type);

  /**
   * What went wrong loading the types without stopping the load (a JAR that is no plugin, a plugin
   * with no type), for "unknown type" messages: the type a user expects may be in one of them.
   */
  default java.util.List<String> loadProblems() {
    return java.util.List.of();
  }
}
