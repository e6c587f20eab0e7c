package org.abdflow.engine.stages;

import java.util.List;
import org.abdflow.api.config.ConfigException;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;
import org.abdflow.engine.plugins.ExtensionRef;
import org.abdflow.engine.plugins.PluginRegistry;
import org.abdflow.engine.spec.TransformSpec;
import org.abdflow.model.ClipConfig;
import org.abdflow.schema.Sample;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.resourcehints.ResourceHints;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * {@code Train}: contrastive training of CLIP on the union of its input records, from scratch or
 * from an input model. Training is one bounded task: the records are grouped under one key and a
 * single DoFn runs the DJL loop where it lands (the worker with the accelerator, when there is
 * one), then writes a checkpoint artifact whose path is the stage's one output element.
 */
final class TrainStage implements StageType {
  private final PluginRegistry registry;

  TrainStage(PluginRegistry registry) {
    this.registry = registry;
  }

  @Override
  public String type() {
    return "Train";
  }

  @Override
  public String description() {
    return "contrastive training of CLIP on the input records (from scratch, or fine-tuning an input model)";
  }

  @Override
  public ConfigSchema schema() {
    return TrainConfig.SCHEMA;
  }

  @Override
  public int minInputs() {
    return 1;
  }

  @Override
  public int maxInputs() {
    return Integer.MAX_VALUE;
  }

  @Override
  public Object configure(ConfigValues values) {
    TrainConfig config = TrainConfig.from(values);
    if (!ClipConfig.PRESETS.contains(config.model())) {
      throw new ConfigException("model", "unknown preset " + config.model() + " (known: " + String.join(", ", ClipConfig.PRESETS) + ")"
          + org.abdflow.api.config.DidYouMean.suggestion(config.model(), ClipConfig.PRESETS));
    }
    ExtensionNames.checkLosses(registry, config.losses());
    return config;
  }

  @Override
  public StageOutput expand(StageContext context, TransformSpec transform, List<StageOutput> inputs) {
    String name = transform.name();
    TrainConfig config = (TrainConfig) configure(schema().parse(transform.config()));
    List<StageOutput.Model> models = Stages.models(inputs);
    if (models.size() > 1) {
      throw new IllegalArgumentException(name + " (Train) takes at most one model as input, got " + Stages.kinds(inputs));
    }
    List<PCollection<Sample>> data = Stages.records(transform, inputs);
    PCollection<Sample> all =
        data.size() == 1 ? data.get(0) : PCollectionList.of(data).apply(name + "/Union", Flatten.pCollections());
    PCollectionView<String> base =
        models.isEmpty() ? null : models.get(0).checkpoint().apply(name + "/BaseModel", View.asSingleton());
    List<ExtensionRef> losses =
        config.losses().stream().map(t -> context.extensionRef(t.type(), t.config())).toList();
    TrainFn fn = new TrainFn(name, config, losses, context.seed(name), context.layout(), base, context.pluginFolders(), context.pluginDigests());
    ParDo.SingleOutput<org.apache.beam.sdk.values.KV<String, Iterable<Sample>>, String> train = ParDo.of(fn);
    if (base != null) {
      train = train.withSideInputs(base);
    }
    // runners that place work by hints (Dataflow) put this one task on an accelerator worker
    ResourceHints hints = config.device().equals("cpu") ? ResourceHints.create()
        : ResourceHints.create().withAccelerator(config.accelerator());
    PCollection<String> checkpoint =
        all.apply(name + "/OneTask", WithKeys.of(name))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), Coders.sample()))
            .apply(name + "/Gather", GroupByKey.create())
            .apply(name + "/Train", new Hinted<>(train, hints))
            .setCoder(StringUtf8Coder.of());
    return new StageOutput.Model(name, checkpoint, config.defense());
  }
}
