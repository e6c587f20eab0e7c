package org.abdflow.engine.spec;

import com.google.auto.value.AutoValue;
import com.google.auto.value.extension.memoized.Memoized;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A loaded spec: the seed, the transforms in file order and the extra plugin folders. It may still
 * be wrong; {@link SpecValidator#validate} says how, {@link SpecValidator#loadAndValidate} loads
 * only specs that are right.
 */
@AutoValue
public abstract class PipelineSpec {

  /** The spec file as given to the loader. */
  public abstract Path file();

  /** {@code pipeline.seed}, 1 when not given. */
  public abstract long seed();

  /**
   * {@code pipeline.matrix.seed}: the seeds the pipeline is copied for, each transform once per
   * seed ({@link TransformSpec#seed()}); empty when the spec has no seed list.
   */
  public abstract List<Long> seeds();

  /** {@code pipeline.transforms}, in file order. */
  public abstract List<TransformSpec> transforms();

  /** {@code plugins}, resolved against the spec file's folder (a pinned JAR adds its folder). */
  public abstract List<Path> pluginDirs();

  /** The plugin JARs {@code plugins} pins by digest, checked before plugins are loaded. */
  public abstract List<PinnedPlugin> pinnedPlugins();

  /**
   * Shape errors the loader met (unknown keys, a list where a map belongs, ...); it skipped the
   * offending parts. {@link SpecValidator} reports them along with the rest.
   */
  public abstract List<SpecError> shapeErrors();

  static PipelineSpec create(
      Path file,
      long seed,
      List<Long> seeds,
      List<TransformSpec> transforms,
      List<Path> pluginDirs,
      List<SpecError> shapeErrors) {
    return create(file, seed, seeds, transforms, pluginDirs, List.of(), shapeErrors);
  }

  static PipelineSpec create(
      Path file,
      long seed,
      List<Long> seeds,
      List<TransformSpec> transforms,
      List<Path> pluginDirs,
      List<PinnedPlugin> pinnedPlugins,
      List<SpecError> shapeErrors) {
    return new AutoValue_PipelineSpec(
        file, seed, List.copyOf(seeds), List.copyOf(transforms), List.copyOf(pluginDirs),
        List.copyOf(pinnedPlugins), List.copyOf(shapeErrors));
  }

  /**
   * The same spec run with another seed.
   *
   * @throws IllegalArgumentException if the spec lists its seeds in {@code pipeline.matrix}
   */
  public PipelineSpec withSeed(long newSeed) {
    if (!seeds().isEmpty()) {
      throw new IllegalArgumentException(file() + " runs seeds " + seeds() + " (pipeline.matrix.seed): drop --seed, or the seed list");
    }
    return create(file(), newSeed, seeds(), transforms(), pluginDirs(), pinnedPlugins(), shapeErrors());
  }

  /**
   * The transform that {@code name}, given in a config key of {@code from} (an evaluation's
   * {@code attacks}), stands for: in a seed copy, the same seed's copy of it.
   */
  public String reference(String from, String name) {
    TransformSpec t = byName().get(from);
    if (t != null && t.seed().isPresent()) {
      String copy = name + TransformSpec.seedSuffix(t.seed().getAsLong());
      if (byName().containsKey(copy)) {
        return copy;
      }
    }
    return name;
  }

  /** The seed a transform runs with: its seed copy's, or the run's. */
  public long seedOf(String transform) {
    TransformSpec t = byName().get(transform);
    return t != null && t.seed().isPresent() ? t.seed().getAsLong() : seed();
  }

  /**
   * The spec with the relative file paths of its configs (keys of type {@link
   * org.abdflow.api.config.ConfigType#PATH}) made absolute against the spec file's folder.
   * Transforms of unknown types stay as they are (validation reports them).
   */
  public PipelineSpec withPathsResolved(TypeCatalog catalog) {
    Path base = file().toAbsolutePath().getParent();
    List<TransformSpec> out = new ArrayList<>();
    for (TransformSpec t : transforms()) {
      Optional<TypeInfo> info = catalog.lookup(t.type());
      out.add(info.isEmpty() ? t : t.toBuilder().setConfig(info.get().schema().resolvePaths(t.config(), base)).build());
    }
    return create(file(), seed(), seeds(), out, pluginDirs(), pinnedPlugins(), shapeErrors());
  }

  /** The transform of that name (the first, should a broken spec have two). */
  public Optional<TransformSpec> transform(String name) {
    return Optional.ofNullable(byName().get(name));
  }

  /**
   * Every transform after all of its inputs; among transforms free to go, file order decides, so
   * the order is stable. Inputs that name no transform are ignored.
   *
   * @throws IllegalStateException if the inputs form a cycle (which validation reports)
   */
  @Memoized
  public List<TransformSpec> topologicalOrder() {
    SpecGraph graph = new SpecGraph(transforms());
    List<Integer> order = graph.topologicalOrder();
    if (order.size() < transforms().size()) {
      throw new IllegalStateException(
          file() + ": the inputs form a cycle: " + String.join(", ", graph.describeCycles()));
    }
    List<TransformSpec> out = new ArrayList<>(order.size());
    for (int i : order) {
      out.add(transforms().get(i));
    }
    return List.copyOf(out);
  }

  @Memoized
  Map<String, TransformSpec> byName() {
    Map<String, TransformSpec> map = new HashMap<>();
    for (TransformSpec t : transforms()) {
      map.putIfAbsent(t.name(), t);
    }
    return map;
  }
}
