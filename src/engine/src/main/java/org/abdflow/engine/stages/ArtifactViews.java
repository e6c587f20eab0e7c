package org.abdflow.engine.stages;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.abdflow.api.ArtifactInputs;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * The artifacts an extension declares (by kind), found among a transform's inputs and passed to
 * its DoFn as side inputs; inside the DoFn they become the extension's {@link ArtifactInputs}.
 */
final class ArtifactViews implements Serializable {
  private static final long serialVersionUID = 1L;
  private final LinkedHashMap<String, PCollectionView<String>> views;

  private ArtifactViews(Map<String, PCollectionView<String>> views) {
    this.views = new LinkedHashMap<>(views);
  }

  static ArtifactViews none() {
    return new ArtifactViews(Map.of());
  }

  /**
   * One input artifact of each kind among {@code inputs}; {@code consumer} names the stage applying
   * the views and {@code owner} the transform whose inputs they are (an attack evaluated elsewhere).
   */
  static ArtifactViews of(String consumer, String owner, String ownerType, List<String> kinds, List<StageOutput> inputs) {
    Map<String, PCollectionView<String>> views = new LinkedHashMap<>();
    for (String kind : kinds) {
      List<StageOutput.Artifact> found = Stages.artifacts(inputs, kind);
      if (found.size() != 1) {
        throw new IllegalArgumentException(owner + " (" + ownerType + ") needs one input artifact of kind " + kind
            + ", got " + Stages.kinds(inputs));
      }
      views.put(kind, found.get(0).path().apply(consumer + "/Artifact-" + owner + "-" + kind, View.asSingleton()));
    }
    return new ArtifactViews(views);
  }

  /** The artifacts of a stage that takes one set of records plus exactly the artifacts its extension declares. */
  static ArtifactViews ofRecordsStage(String name, String type, List<String> kinds, List<StageOutput> inputs) {
    ArtifactViews views = of(name, name, type, kinds, inputs);
    if (inputs.size() != 1 + kinds.size()) {
      throw new IllegalArgumentException(name + " (" + type + ") takes records" + (kinds.isEmpty() ? "" : " and artifacts " + kinds)
          + ", got " + Stages.kinds(inputs));
    }
    return views;
  }

  List<PCollectionView<?>> sideInputs() {
    return new ArrayList<>(views.values());
  }

  /** The digest of the artifacts' files (kind by kind), for the cache key of a stage that reads them. */
  String digest(DoFn<?, ?>.ProcessContext c) throws java.io.IOException {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, PCollectionView<String>> e : views.entrySet()) {
      sb.append(e.getKey()).append('=').append(StageCache.sha256(Path.of(c.sideInput(e.getValue())))).append(';');
    }
    return sb.toString();
  }

  /** The artifacts' folders as this element's side inputs give them. */
  ArtifactInputs resolve(DoFn<?, ?>.ProcessContext c) {
    if (views.isEmpty()) {
      return ArtifactInputs.none();
    }
    Map<String, Path> folders = new LinkedHashMap<>();
    views.forEach((kind, view) -> folders.put(kind, Path.of(c.sideInput(view))));
    return new ArtifactInputs(folders);
  }
}
