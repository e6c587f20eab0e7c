package org.abdflow.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The artifacts an extension reads, by kind: folders another stage wrote, such as ABD's learned
 * patch ({@code adv-patch}). An extension declares the kinds it needs; the spec names the stages
 * that provide them as inputs. {@link #load} reads each artifact once per worker.
 */
public final class ArtifactInputs {
  /** Reads an artifact folder into what the extension uses. */
  @FunctionalInterface
  public interface Loader<T> {
    T load(Path folder) throws IOException;
  }

  private static final ArtifactInputs NONE = new ArtifactInputs(Map.of());

  private final Map<String, Path> folders;
  private final Map<String, Object> loaded = new ConcurrentHashMap<>();

  public ArtifactInputs(Map<String, Path> folders) {
    this.folders = Map.copyOf(folders);
  }

  public static ArtifactInputs none() {
    return NONE;
  }

  /** The folder of the input artifact of {@code kind}. */
  public Path path(String kind) {
    Path p = folders.get(kind);
    if (p == null) {
      throw new IllegalStateException("no input artifact of kind " + kind + " (inputs: " + folders.keySet() + ")");
    }
    return p;
  }

  /** The artifact of {@code kind} as {@code loader} reads it, read on first use and kept. */
  @SuppressWarnings("unchecked")
  public <T> T load(String kind, Loader<T> loader) {
    return (T) loaded.computeIfAbsent(kind, k -> {
      try {
        return loader.load(path(k));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the " + k + " artifact at " + path(k) + ": " + e.getMessage(), e);
      }
    });
  }
}
