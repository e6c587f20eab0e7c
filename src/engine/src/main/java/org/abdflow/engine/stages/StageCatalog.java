package org.abdflow.engine.stages;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;
import org.abdflow.api.ArtifactGenerator;
import org.abdflow.api.Attack;
import org.abdflow.api.Augmenter;
import org.abdflow.api.Source;
import org.abdflow.engine.plugins.PluginRegistry;
import org.abdflow.engine.plugins.PluginRegistry.LoadedExtension;
import org.abdflow.engine.spec.TypeCatalog;
import org.abdflow.engine.spec.TypeInfo;

/**
 * Every transform type a spec may use: the engine's own stages and the plugin extensions that are
 * stages by their kind (a Source reads, an Attack poisons, an Augmenter adds a view). Losses and
 * metrics are named inside stage configs, not used as transforms.
 */
public final class StageCatalog implements TypeCatalog {
  /** How an extension of each kind becomes a stage. */
  private static final Map<Class<?>, Function<LoadedExtension, StageType>> WRAPPERS =
      Map.of(Source.class, SourceStage::new, Attack.class, PoisonStage::new, Augmenter.class, AugmentStage::new,
          ArtifactGenerator.class, GeneratorStage::new);

  private final PluginRegistry registry;
  private final Map<String, StageType> stages = new LinkedHashMap<>();

  public StageCatalog(PluginRegistry registry) {
    this.registry = registry;
    for (StageType builtIn : List.of(new TrainStage(registry), new EvalStage(registry), new ImageTextSimilarityStage(), new PretrainedClipStage())) {
      stages.put(builtIn.type(), builtIn);
    }
    for (LoadedExtension ext : registry.extensions().values()) {
      for (Map.Entry<Class<?>, Function<LoadedExtension, StageType>> w : WRAPPERS.entrySet()) {
        if (w.getKey().isInstance(ext.extension())) {
          StageType stage = w.getValue().apply(ext);
          if (stages.putIfAbsent(stage.type(), stage) != null) {
            throw new IllegalStateException("plugin " + ext.pluginId() + " (" + ext.pluginPath() + ") defines type " + stage.type()
                + ", which the engine already has; give its extension another type()");
          }
        }
      }
    }
  }

  public PluginRegistry registry() {
    return registry;
  }

  /** The engine's own stage types plus the plugin stages, by type. */
  public Map<String, StageType> stages() {
    return stages;
  }

  public StageType stage(String type) {
    StageType s = stages.get(type);
    if (s == null) {
      throw new IllegalArgumentException("unknown type " + type + " (known: " + types() + ")"
          + org.abdflow.api.config.DidYouMean.suggestion(type, stages.keySet()));
    }
    return s;
  }

  @Override
  public SortedSet<String> types() {
    return new TreeSet<>(stages.keySet());
  }

  @Override
  public List<String> loadProblems() {
    return registry.problems();
  }

  @Override
  public Optional<TypeInfo> lookup(String type) {
    StageType s = stages.get(type);
    if (s == null) {
      return Optional.empty();
    }
    return Optional.of(TypeInfo.create(s.type(), s.schema(), s.minInputs(), s.maxInputs(), s::configure, s.description()));
  }
}
