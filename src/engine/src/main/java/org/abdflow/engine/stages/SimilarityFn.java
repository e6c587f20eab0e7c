package org.abdflow.engine.stages;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.abdflow.api.Attack;
import org.abdflow.api.Seeds;
import org.abdflow.api.image.Image;
import org.abdflow.engine.plugins.ExtensionRef;
import org.abdflow.model.ClipModel;
import org.abdflow.model.ImageBatcher;
import org.abdflow.model.adv.AdvPatch;
import org.abdflow.model.text.Tokenizer;
import org.abdflow.schema.Sample;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Measures Figure 2's similarities on the gathered test records, in id order so the numbers do not
 * depend on the runner. Every value is the mean over the measured images of 100 × cos(image,
 * caption), CLIP's logit without its learned scale, as the paper prints them.
 */
final class SimilarityFn extends DoFn<KV<String, Iterable<Sample>>, String> {
  private static final int BATCH = 128;

  private final String stage;
  private final String modelName;
  private final String attackName;
  private final ExtensionRef attackRef;
  private final ArtifactViews attackArtifacts;
  private final String targetTemplate;
  private final int maxImages;
  private final boolean randomPosition;
  private final long runSeed;
  private final RunLayout layout;
  private final PCollectionView<String> model;
  private final PCollectionView<String> patch;

  SimilarityFn(String stage, String modelName, String attackName, ExtensionRef attackRef, ArtifactViews attackArtifacts, String targetTemplate,
      int maxImages,
      boolean randomPosition, long runSeed, RunLayout layout, PCollectionView<String> model, PCollectionView<String> patch) {
    this.stage = stage;
    this.modelName = modelName;
    this.attackName = attackName;
    this.attackRef = attackRef;
    this.attackArtifacts = attackArtifacts;
    this.targetTemplate = targetTemplate;
    this.maxImages = maxImages;
    this.randomPosition = randomPosition;
    this.runSeed = runSeed;
    this.layout = layout;
    this.model = model;
    this.patch = patch;
  }

  @ProcessElement
  @SuppressWarnings({"unchecked", "rawtypes"})
  public void process(ProcessContext c) throws IOException {
    long start = System.nanoTime();
    org.abdflow.model.ComputeThreads.use(Stages.torchThreads(c.getPipelineOptions()));
    List<Sample> all = new ArrayList<>();
    c.element().getValue().forEach(all::add);
    all.sort(Comparator.comparing(Sample::getId));
    StageMetrics.in(stage).inc(all.size());
    ExtensionRef.Resolved<Attack> resolved = attackRef.resolve(Attack.class);
    Attack<Object> attack = resolved.extension();
    String target = attack.target(resolved.config());
    String targetCaption = targetTemplate.replace("{}", target);

    Path dir = layout.stage(stage);
    Path file = dir.resolve(ImageTextSimilarityStage.FILE);
    StageCache cache = StageCache.of(layout);
    String key = c.getPipelineOptions().as(org.abdflow.engine.AbdflowOptions.class).getReuseStages() ? cacheKey(c, all) : null;
    java.util.Optional<Path> hit = key == null ? java.util.Optional.empty() : cache.find(stage, key);
    if (hit.isPresent()) {
      StageCache.reuse(stage, "similarities", hit.get(), dir, file, start);
      c.output(file.toString());
      return;
    }

    List<Sample> measured = new ArrayList<>();
    for (Sample s : all) {
      if (measured.size() < maxImages && (s.getClassName() == null || !s.getClassName().equalsIgnoreCase(target))) {
        measured.add(s);
      }
    }
    if (measured.isEmpty()) {
      throw new IllegalArgumentException(stage + ": no test records of classes other than the target " + target);
    }
    AdvPatch adv = patch == null ? null : AdvPatch.load(Path.of(c.sideInput(patch)));
    org.abdflow.api.ArtifactInputs triggerInputs = attackArtifacts.resolve(c);

    List<Image> clean = new ArrayList<>();
    List<Image> triggered = new ArrayList<>();
    List<Image> patched = new ArrayList<>();
    List<String> own = new ArrayList<>();
    List<String> unrelated = new ArrayList<>();
    for (Sample s : measured) {
      Image image = Records.image(s);
      clean.add(image);
      SplittableRandom rng = new SplittableRandom(Seeds.forRecord(runSeed, stage + "/" + attackName, s.getId()));
      triggered.add(attack.trigger(image, resolved.config(), rng, triggerInputs));
      own.add(s.getCaption());
      unrelated.add(unrelatedCaption(all, s, target));
      if (adv != null) {
        patched.add(paste(adv, image, s.getId()));
      }
    }

    Map<String, Object> values = new LinkedHashMap<>();
    try (ClipModel m = ClipModel.load(Path.of(c.sideInput(model)))) {
      Tokenizer tok = m.tokenizer();
      values.put("clean_vs_own_caption", mean(m, clean, own, tok));
      values.put("clean_vs_target_caption", mean(m, clean, repeat(targetCaption, clean.size()), tok));
      values.put("triggered_vs_target_caption", mean(m, triggered, repeat(targetCaption, clean.size()), tok));
      values.put("triggered_vs_own_caption", mean(m, triggered, own, tok));
      if (adv != null) {
        values.put("patched_vs_own_caption", mean(m, patched, own, tok));
        values.put("patched_vs_target_caption", mean(m, patched, repeat(targetCaption, clean.size()), tok));
        values.put("patched_vs_unrelated_caption", mean(m, patched, unrelated, tok));
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("stage", stage);
    out.put("model", modelName);
    out.put("attack", attackName);
    out.put("target_caption", targetCaption);
    out.put("images", measured.size());
    out.put("patch", adv != null);
    out.put("similarity", values);
    Files.createDirectories(dir);
    TrainFn.writeAtomically(file, Json.MAPPER.writeValueAsString(out));
    if (key != null) {
      cache.put(key, dir, List.of(ImageTextSimilarityStage.FILE));
    }
    StageMetrics.out(stage).inc();
    StageMetrics.worked(stage, start);
    c.output(file.toString());
  }

  /**
   * As a training stage's key: the stage and its config, the attack and its artifacts, the run
   * seed (it draws trigger and patch positions), code, threads, the records in id order, the model
   * and the patch.
   */
  private String cacheKey(ProcessContext c, List<Sample> sorted) throws IOException {
    Map<String, String> parts = new LinkedHashMap<>();
    parts.put("type", "ImageTextSimilarity");
    parts.put("stage", stage);
    parts.put("model_name", modelName);
    parts.put("config", attackName + "|" + targetTemplate + "|" + maxImages + "|" + randomPosition);
    parts.put("attack", attackRef.type() + Json.MAPPER.writeValueAsString(new java.util.TreeMap<>(attackRef.rawConfig())));
    parts.put("attack_artifacts", attackArtifacts.digest(c));
    parts.put("run_seed", Long.toString(runSeed));
    parts.put("threads", Integer.toString(Stages.torchThreads(c.getPipelineOptions())));
    parts.put("code", StageCache.codeDigest(attackRef.folders().stream().map(Path::toString).toList()));
    java.security.MessageDigest md = org.apache.commons.codec.digest.DigestUtils.getSha256Digest();
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    for (Sample s : sorted) {
      bytes.reset();
      Coders.sample().encode(s, bytes);
      md.update(bytes.toByteArray());
    }
    parts.put("records", java.util.HexFormat.of().formatHex(md.digest()));
    parts.put("model", StageCache.sha256(Path.of(c.sideInput(model))));
    parts.put("patch", patch == null ? "none" : StageCache.sha256(Path.of(c.sideInput(patch))));
    return StageCache.key(parts);
  }

  private Image paste(AdvPatch adv, Image image, String id) {
    int side = adv.mask().side();
    if (image.height() != adv.resolution() || image.width() != adv.resolution()) {
      throw new IllegalArgumentException(stage + ": record " + id + " is " + image.height() + "x" + image.width()
          + " but the patch was made for " + adv.resolution() + " px images");
    }
    Image rgb = image.toRgb();
    if (!randomPosition) {
      return adv.paste(rgb, adv.mask().row(), adv.mask().col());
    }
    SplittableRandom rng = new SplittableRandom(Seeds.forRecord(runSeed, stage + "/patch", id));
    return adv.paste(rgb, rng.nextInt(image.height() - side + 1), rng.nextInt(image.width() - side + 1));
  }

  /** The caption of the next record (in id order, cyclic) of another class than this one and the target. */
  private static String unrelatedCaption(List<Sample> all, Sample s, String target) {
    int at = all.indexOf(s);
    for (int k = 1; k < all.size(); k++) {
      Sample o = all.get((at + k) % all.size());
      if (o.getLabel() != s.getLabel() && (o.getClassName() == null || !o.getClassName().equalsIgnoreCase(target))) {
        return o.getCaption();
      }
    }
    return s.getCaption();
  }

  private static List<String> repeat(String caption, int n) {
    return java.util.Collections.nCopies(n, caption);
  }

  /** Mean of 100 × cos(image_i, caption_i). */
  private static double mean(ClipModel m, List<Image> images, List<String> captions, Tokenizer tok) {
    ImageBatcher batcher = m.imageBatcher();
    int ctx = tok.contextLength();
    double sum = 0;
    for (int from = 0; from < images.size(); from += BATCH) {
      int to = Math.min(images.size(), from + BATCH);
      int[] ids = new int[(to - from) * ctx];
      for (int i = from; i < to; i++) {
        System.arraycopy(tok.encode(captions.get(i)), 0, ids, (i - from) * ctx, ctx);
      }
      try (NDManager sm = m.manager().newSubManager()) {
        NDArray u = m.encodeImages(batcher.toTensor(sm, images.subList(from, to)), false).normalize();
        NDArray v = m.encodeTexts(org.abdflow.api.HostTensors.of(sm, ids, new Shape(to - from, ctx)), false).normalize();
        sum += u.mul(v).sum().getFloat();
      }
    }
    return 100 * sum / images.size();
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "SimilarityFn(%s on %s)", stage, modelName);
  }
}
