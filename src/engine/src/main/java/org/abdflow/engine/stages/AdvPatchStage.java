package org.abdflow.engine.stages;

import java.util.List;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;
import org.abdflow.engine.spec.TransformSpec;
import org.abdflow.schema.Sample;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * {@code AdvClipPatch}: ABD's Stage A (PAPER.md §1.3) — a GAN generator trained against a frozen
 * poisoned model and a frozen origin (clean) model on clean records, with AdvCLIP's objective and
 * the backdoor loss L_bd; its output is the universal adversarial patch as an {@code adv-patch}
 * artifact for {@code PastePatch}. Inputs: the poisoned model, then the origin model, then the
 * clean records. Like training, one bounded task (see {@link TrainStage}).
 */
final class AdvPatchStage implements StageType {
  static final String KIND = "adv-patch";

  @Override
  public String type() {
    return "AdvClipPatch";
  }

  @Override
  public String description() {
    return "ABD's universal adversarial patch: AdvCLIP's generator + L_bd against [poisoned model, origin model] on clean records";
  }

  @Override
  public ConfigSchema schema() {
    return AdvPatchConfig.SCHEMA;
  }

  @Override
  public int minInputs() {
    return 3;
  }

  @Override
  public int maxInputs() {
    return Integer.MAX_VALUE;
  }

  @Override
  public Object configure(ConfigValues values) {
    return AdvPatchConfig.from(values);
  }

  @Override
  public StageOutput expand(StageContext context, TransformSpec transform, List<StageOutput> inputs) {
    String name = transform.name();
    AdvPatchConfig config = (AdvPatchConfig) configure(schema().parse(transform.config()));
    List<StageOutput.Model> models = Stages.models(inputs);
    if (models.size() != 2) {
      throw new IllegalArgumentException(name + " (AdvClipPatch) takes two models, the poisoned one then the origin one, got "
          + Stages.kinds(inputs));
    }
    List<PCollection<Sample>> data = Stages.records(transform, inputs);
    PCollection<Sample> all =
        data.size() == 1 ? data.get(0) : PCollectionList.of(data).apply(name + "/Union", Flatten.pCollections());
    PCollectionView<String> poisoned = models.get(0).checkpoint().apply(name + "/PoisonedModel", View.asSingleton());
    PCollectionView<String> origin = models.get(1).checkpoint().apply(name + "/OriginModel", View.asSingleton());
    PCollection<String> patch =
        all.apply(name + "/OneTask", WithKeys.of(name))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), Coders.sample()))
            .apply(name + "/Gather", GroupByKey.create())
            .apply(name + "/Generate",
                ParDo.of(new AdvPatchFn(name, config, context.seed(), context.layout(), poisoned, origin))
                    .withSideInputs(poisoned, origin))
            .setCoder(StringUtf8Coder.of());
    return new StageOutput.Artifact(name, patch, KIND);
  }
}
