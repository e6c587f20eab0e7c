package org.abdflow.api.config;

/** The value types a config key can have in a spec. */
public enum ConfigType {
  INT("integer"),
  LONG("integer"),
  DOUBLE("number"),
  BOOLEAN("boolean"),
  STRING("string"),
  /**
   * An input file or folder: a relative path is taken relative to the spec file's folder (the
   * engine resolves it before configuring), and validation reports every one that does not exist.
   */
  PATH("path, relative to the spec's folder"),
  STRING_LIST("list of strings"),
  /** Extensions by type name or as {@code {type, config}} maps; see {@link ExtensionSpec}. */
  EXTENSION_LIST("list of types or {type, config} maps"),
  ENUM("one of");

  private final String label;

  ConfigType(String label) {
    this.label = label;
  }

  /** How {@code abdflow plugins} and error messages name the type. */
  public String label() {
    return label;
  }
}
