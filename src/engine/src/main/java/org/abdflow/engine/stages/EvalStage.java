package org.abdflow.engine.stages;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.abdflow.api.Attack;
import org.abdflow.api.Metric;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;
import org.abdflow.engine.plugins.ExtensionRef;
import org.abdflow.engine.plugins.PluginRegistry;
import org.abdflow.engine.spec.TransformSpec;
import org.abdflow.schema.MetricResult;
import org.abdflow.schema.Prediction;
import org.abdflow.schema.Sample;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Distinct;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * {@code ZeroShotEval}: zero-shot classification of clean and triggered test images by every input
 * model, and the metric plugins over the predictions as Beam combiners, per (model, attack).
 * Inputs: one or more models and one set of labelled test records.
 */
final class EvalStage implements StageType {
  private final PluginRegistry registry;

  EvalStage(PluginRegistry registry) {
    this.registry = registry;
  }

  @Override
  public String type() {
    return "ZeroShotEval";
  }

  @Override
  public String description() {
    return "zero-shot CA and ASR of the input models on clean and triggered test records";
  }

  @Override
  public ConfigSchema schema() {
    return EvalConfig.SCHEMA;
  }

  @Override
  public int minInputs() {
    return 2;
  }

  @Override
  public int maxInputs() {
    return Integer.MAX_VALUE;
  }

  @Override
  public Object configure(ConfigValues values) {
    EvalConfig config = EvalConfig.from(values);
    ExtensionNames.check(registry, "metrics", config.metrics(), Metric.class);
    return config;
  }

  @Override
  public StageOutput expand(StageContext context, TransformSpec transform, List<StageOutput> inputs) {
    String name = transform.name();
    EvalConfig config = (EvalConfig) configure(schema().parse(transform.config()));
    List<PCollection<Sample>> recordInputs = Stages.records(transform, inputs);
    if (recordInputs.size() != 1) {
      throw new IllegalArgumentException(name + " (ZeroShotEval) needs exactly one set of test records, got " + Stages.kinds(inputs));
    }
    List<StageOutput.Model> models = Stages.models(inputs);
    if (models.isEmpty()) {
      throw new IllegalArgumentException(name + " (ZeroShotEval) needs at least one model as input, got " + Stages.kinds(inputs));
    }
    PCollection<Sample> test = recordInputs.get(0);

    PCollectionView<List<KV<Integer, String>>> classes =
        test.apply(name + "/Labels", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.integers(), TypeDescriptors.strings()))
                .via((Sample s) -> KV.of(s.getLabel(), s.getClassName() == null ? "" : s.getClassName())))
            .setCoder(KvCoder.of(VarIntCoder.of(), StringUtf8Coder.of()))
            .apply(name + "/DistinctLabels", Distinct.create())
            .apply(name + "/Classes", View.asList());

    List<PCollection<KV<String, Sample>>> views = new ArrayList<>();
    views.add(test.apply(name + "/Clean", WithKeys.of(PredictFn.CLEAN)).setCoder(KvCoder.of(StringUtf8Coder.of(), Coders.sample())));
    Map<String, String> targets = new LinkedHashMap<>();
    for (String given : config.attacks()) {
      String attackName = context.spec().reference(name, given);
      TransformSpec attackSpec = attackTransform(context, name, attackName);
      ExtensionRef ref = context.extensionRef(attackSpec.type(), attackSpec.config());
      @SuppressWarnings({"rawtypes", "unchecked"})
      ExtensionRef.Resolved<Attack> resolved = ref.resolve(Attack.class);
      @SuppressWarnings("unchecked")
      String target = ((Attack<Object>) resolved.extension()).target(resolved.config());
      targets.put(attackName, target);
      ArtifactViews artifacts = attackArtifacts(context, name, attackSpec, resolved);
      PCollection<KV<String, Sample>> triggered =
          test.apply(name + "/Trigger-" + attackName,
                  ParDo.of(new TriggerFn(name, attackName, ref, context.seed(name), artifacts)).withSideInputs(artifacts.sideInputs()))
              .setCoder(KvCoder.of(StringUtf8Coder.of(), Coders.sample()));
      views.add(triggered);
      if (config.gallery() > 0) {
        TriggerGallery.write(name, attackName, test, triggered, config.gallery(), context.layout());
      }
    }
    PCollection<KV<String, Sample>> evalSet = PCollectionList.of(views).apply(name + "/EvalSet", Flatten.pCollections());

    List<PCollection<Prediction>> predictions = new ArrayList<>();
    for (StageOutput.Model model : models) {
      PCollectionView<String> checkpoint = model.checkpoint().apply(name + "/Model-" + model.stage(), View.asSingleton());
      predictions.add(
          evalSet.apply(name + "/Predict-" + model.stage(),
                  ParDo.of(new PredictFn(name, model.stage(), checkpoint, classes, config.templates(), config.classNames(), targets, config.topK(), config.batchSize(), config.device(),
                      context.layout(), context.pluginFolders()))
                      .withSideInputs(checkpoint, classes))
              .setCoder(Coders.prediction()));
    }
    PCollection<Prediction> all = PCollectionList.of(predictions).apply(name + "/Predictions", Flatten.pCollections());

    List<PCollection<MetricResult>> results = new ArrayList<>();
    for (String metric : config.metrics()) {
      ExtensionRef ref = context.extensionRef(metric, Map.of());
      results.add(
          all.apply(name + "/Hits-" + metric, ParDo.of(new MetricHitFn(ref)))
              .setCoder(KvCoder.of(StringUtf8Coder.of(), org.apache.beam.sdk.coders.BooleanCoder.of()))
              .apply(name + "/Rate-" + metric, Combine.perKey(new HitRateFn()))
              .apply(name + "/Result-" + metric, MapElements.into(TypeDescriptor.of(MetricResult.class)).via(HitRateFn::toResult))
              .setCoder(Coders.metricResult()));
    }
    PCollection<MetricResult> metrics = PCollectionList.of(results).apply(name + "/Metrics", Flatten.pCollections());
    metrics
        .apply(name + "/ToJson", MapElements.into(TypeDescriptors.strings()).via(EvalStage::toJson))
        .apply(name + "/WriteResults",
            TextIO.write().to(context.layout().results().resolve(name).toString()).withSuffix(".jsonl").withoutSharding());
    return new StageOutput.Metrics(name, metrics);
  }

  private static TransformSpec attackTransform(StageContext context, String stage, String attackName) {
    TransformSpec t =
        context.spec().transform(attackName).orElseThrow(() -> new IllegalArgumentException(
            stage + " (ZeroShotEval): attacks names " + attackName + ", which is not a transform of the spec" + attackHint(context, attackName)));
    var ext = context.registry().find(t.type());
    if (ext.isEmpty() || !(ext.get().extension() instanceof Attack)) {
      throw new IllegalArgumentException(stage + " (ZeroShotEval): attacks names " + attackName + ", a " + t.type() + ", not an attack"
          + attackHint(context, attackName));
    }
    return t;
  }

  /** The spec's attack transforms, and the closest one: attacks names transforms, not attack types. */
  static String attackHint(StageContext context, String attackName) {
    List<String> attacks = context.spec().transforms().stream()
        .filter(x -> context.registry().find(x.type()).map(e -> e.extension() instanceof Attack).orElse(false))
        .map(TransformSpec::name).toList();
    if (attacks.isEmpty()) {
      return " (the spec has no attack transform)";
    }
    return " (its attack transforms: " + String.join(", ", attacks) + ")" + org.abdflow.api.config.DidYouMean.suggestion(attackName, attacks);
  }

  /** The artifacts an attack's trigger reads, from the inputs of the attack's own transform. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  static ArtifactViews attackArtifacts(StageContext context, String stage, TransformSpec attackSpec, ExtensionRef.Resolved<Attack> attack) {
    List<String> kinds = ((Attack<Object>) attack.extension()).artifactKinds(attack.config());
    List<StageOutput> attackInputs = attackSpec.inputs().stream().map(context::output).toList();
    return ArtifactViews.of(stage, attackSpec.name(), attackSpec.type(), kinds, attackInputs);
  }

  static String toJson(MetricResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", r.getModel());
    m.put("attack", r.getAttack());
    m.put("metric", r.getMetric());
    m.put("value", r.getValue());
    m.put("count", r.getCount());
    return Json.compact(m);
  }
}
