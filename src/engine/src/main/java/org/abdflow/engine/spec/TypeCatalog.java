package org.abdflow.engine.spec;

import java.util.Optional;
import java.util.SortedSet;

/** The transform types a spec may use; the plugin registry implements it. */
public interface TypeCatalog {

  /** Every known type, for "unknown type X (known: ...)" messages. */
  SortedSet<String> types();

  /** The type's schema, input arity and configure step; empty when unknown. */
  Optional<TypeInfo> lookup(String type);
}
