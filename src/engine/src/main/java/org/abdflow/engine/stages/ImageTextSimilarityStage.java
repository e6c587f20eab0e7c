package org.abdflow.engine.stages;

import java.util.List;
import org.abdflow.api.Attack;
import org.abdflow.api.config.ConfigException;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;
import org.abdflow.engine.plugins.ExtensionRef;
import org.abdflow.engine.spec.TransformSpec;
import org.abdflow.schema.Sample;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * {@code ImageTextSimilarity}: PAPER.md Figure 2 measured on our data — in one model (the victim),
 * the mean 100 × cosine between clean images and their captions, triggered images and the target
 * caption, and images with the ABD patch and their own, the target and an unrelated caption.
 * Inputs: a model, test records, optionally an {@code AdvClipPatch} artifact. Output: {@code
 * similarities.json} in the stage's artifact folder, which the report shows.
 */
final class ImageTextSimilarityStage implements StageType {
  static final String FILE = "similarities.json";

  static final ConfigSchema SCHEMA =
      ConfigSchema.builder()
          .addRequiredString("attack", "the attack transform whose trigger and target are measured")
          .addString("targetTemplate", "a photo of a {}.", "the caption of the target class ({} is the class name)")
          .addInt("images", 500, 1, 1_000_000, "test images measured (the first by id, of classes other than the target)")
          .addEnum("position", "random", List.of("random", "fixed"), "where the patch goes, as in PastePatch")
          .build();

  @Override
  public String type() {
    return "ImageTextSimilarity";
  }

  @Override
  public String description() {
    return "Figure 2: image-text similarities of clean, triggered and patched test images in a model";
  }

  @Override
  public ConfigSchema schema() {
    return SCHEMA;
  }

  @Override
  public int minInputs() {
    return 2;
  }

  @Override
  public int maxInputs() {
    return 3;
  }

  @Override
  public Object configure(ConfigValues values) {
    if (!values.getString("targetTemplate").contains("{}")) {
      throw new ConfigException("targetTemplate", "needs a {} where the class name goes");
    }
    return values;
  }

  @Override
  public StageOutput expand(StageContext context, TransformSpec transform, List<StageOutput> inputs) {
    String name = transform.name();
    ConfigValues config = (ConfigValues) configure(schema().parse(transform.config()));
    List<StageOutput.Model> models = Stages.models(inputs);
    if (models.size() != 1) {
      throw new IllegalArgumentException(name + " (ImageTextSimilarity) takes one model, got " + Stages.kinds(inputs));
    }
    List<StageOutput.Artifact> patches = Stages.artifacts(inputs, org.abdflow.model.adv.AdvPatch.ARTIFACT_KIND);
    String attackName = context.spec().reference(name, config.getString("attack"));
    TransformSpec attackSpec =
        context.spec().transform(attackName).filter(t -> context.registry().find(t.type()).map(e -> e.extension() instanceof Attack).orElse(false))
            .orElseThrow(() -> new ConfigException("attack", attackName + " is not an attack transform of the spec"
                + EvalStage.attackHint(context, attackName)));
    ExtensionRef attack = context.extensionRef(attackSpec.type(), attackSpec.config());
    PCollection<Sample> records = Stages.records(transform, inputs).get(0);
    PCollectionView<String> model = models.get(0).checkpoint().apply(name + "/Model", View.asSingleton());
    PCollectionView<String> patch = patches.isEmpty() ? null : patches.get(0).path().apply(name + "/Patch", View.asSingleton());
    ArtifactViews triggerArtifacts = EvalStage.attackArtifacts(context, name, attackSpec, attack.resolve(Attack.class));
    SimilarityFn fn = new SimilarityFn(name, models.get(0).stage(), attackName, attack, triggerArtifacts, config.getString("targetTemplate"),
        config.getInt("images"), config.getString("position").equals("random"), context.seed(name), context.layout(), model, patch);
    ParDo.SingleOutput<org.apache.beam.sdk.values.KV<String, Iterable<Sample>>, String> measure =
        (patch == null ? ParDo.of(fn).withSideInputs(model) : ParDo.of(fn).withSideInputs(model, patch))
            .withSideInputs(triggerArtifacts.sideInputs());
    PCollection<String> out =
        records.apply(name + "/OneTask", WithKeys.of(name))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), Coders.sample()))
            .apply(name + "/Gather", GroupByKey.create())
            .apply(name + "/Measure", measure)
            .setCoder(StringUtf8Coder.of());
    return new StageOutput.Artifact(name, out, "similarities");
  }
}
