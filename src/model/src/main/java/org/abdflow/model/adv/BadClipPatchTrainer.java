package org.abdflow.model.adv;

import org.abdflow.api.HostTensors;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.abdflow.api.InfoNce;
import org.abdflow.api.Seeds;
import org.abdflow.api.Tensors;
import org.abdflow.api.image.Image;
import org.abdflow.model.Autograd;
import org.abdflow.model.ClipModel;
import org.abdflow.model.ImageBatcher;
import org.abdflow.model.train.ClipTrainer;

/**
 * BadCLIP's dual-embedding guided patch optimisation (PAPER.md §2.4), against a frozen clean
 * model: a patch P in [0, 1] pasted at the image centre is trained with Adam on
 * {@code textWeight · L_CLIP(E_I(x ⊕ P), E_T(target caption)) + tripletWeight · triplet(E_I(x ⊕ P),
 * E_I(x_target), E_I(x))}: the patched image should read as the target's captions and look like a
 * real target image rather than itself. P starts at N(0.5, 0.25) clipped to [0, 1] and is clipped
 * after every step. Gradients flow through the frozen encoders to P only. Training images may be
 * augmented before P is pasted, drawn afresh per image and epoch as the reference's data loader
 * does (AutoAugment with probability 0.5 there); the unpatched negative is the same augmented image.
 */
public final class BadClipPatchTrainer {
  private final ClipModel model;
  private final BadClipPatchOptions options;
  private final int resolution;
  private final ImageBatcher batcher;
  private final List<Float> losses = new ArrayList<>();
  private org.abdflow.model.train.EpochCheckpoints checkpoints;
  private static final long AUGMENT_SALT = 0x6175676d656e74L;

  public BadClipPatchTrainer(ClipModel model, BadClipPatchOptions options) {
    if (model.tokenizer() == null) {
      throw new IllegalArgumentException("the model needs a tokenizer for the target captions");
    }
    this.model = model;
    this.options = options;
    this.resolution = model.config().imageResolution();
    if (options.side() > resolution) {
      throw new IllegalArgumentException("a " + options.side() + " px patch does not fit " + resolution + " px images");
    }
    this.batcher = model.imageBatcher();
  }

  /** The centre square, as the reference pastes it (start = R/2 − side/2). */
  public PatchMask mask() {
    int start = resolution / 2 - options.side() / 2;
    return new PatchMask(resolution, start, start, options.side());
  }

  /** Mean loss per epoch of the last {@link #fit}. */
  public List<Float> epochLosses() {
    return List.copyOf(losses);
  }

  /** An image augmentation drawn from {@code rng}; it returns {@code image} itself when it leaves it alone. */
  @FunctionalInterface
  public interface Augmentation {
    Augmentation NONE = (image, rng) -> image;

    Image apply(Image image, SplittableRandom rng);
  }

  /** {@link #fit(List, List, List, Augmentation)} without augmentation. */
  public AdvPatch fit(List<Image> images, List<String> captions, List<Image> positives) {
    return fit(images, captions, positives, Augmentation.NONE);
  }

  /**
   * Optimises the patch on {@code images} (not of the target class) with their target captions,
   * drawing a real target-class image from {@code positives} per image and step; each training
   * image passes through {@code augment} first, with randomness from (seed, epoch, image index).
   */
  /**
   * Saves the patch, Adam's moments and the losses at every epoch end except the last in
   * {@code checkpoints}, and resumes from the newest saved epoch there when {@code fit} starts.
   */
  public BadClipPatchTrainer checkpointEpochs(org.abdflow.model.train.EpochCheckpoints checkpoints) {
    this.checkpoints = checkpoints;
    return this;
  }

  /** Told after every step how far the optimisation is, for a live display. */
  @FunctionalInterface
  public interface ProgressListener {
    void onProgress(long done, long total, String detail);
  }

  private ProgressListener progress = (done, total, detail) -> {};

  /** Reports every step to {@code listener}. */
  public BadClipPatchTrainer onProgress(ProgressListener listener) {
    this.progress = listener;
    return this;
  }

  public AdvPatch fit(List<Image> images, List<String> captions, List<Image> positives, Augmentation augment) {
    if (images.size() < 2 || images.size() != captions.size() || positives.isEmpty()) {
      throw new IllegalArgumentException("BadCLIP's patch needs at least two images with a caption each and a target-class image, got "
          + images.size() + " images, " + captions.size() + " captions, " + positives.size() + " target images");
    }
    int side = options.side();
    PatchMask mask = mask();
    SplittableRandom init = new SplittableRandom(options.seed());
    float[] p = new float[3 * side * side];
    for (int i = 0; i < p.length; i++) {
      p[i] = (float) Math.max(0, Math.min(1, 0.5 + 0.25 * Seeds.gaussian(init)));
    }
    float[] m1 = new float[p.length];
    float[] m2 = new float[p.length];
    int ctx = model.tokenizer().contextLength();
    int[] tokens = new int[captions.size() * ctx];
    for (int i = 0; i < captions.size(); i++) {
      System.arraycopy(model.tokenizer().encode(captions.get(i)), 0, tokens, i * ctx, ctx);
    }
    model.setRequiresGradient(false);
    losses.clear();
    int n = images.size();
    int step = 0;
    int firstEpoch = 0;
    String identity = n + " images, " + positives.size() + " target images, " + options.epochs() + " epochs";
    if (checkpoints != null) {
      java.util.Optional<org.abdflow.model.train.EpochCheckpoints.Saved> saved = latest(identity);
      if (saved.isPresent()) {
        java.util.Map<String, byte[]> b = saved.get().blobs();
        java.nio.ByteBuffer.wrap(b.get("patch")).asFloatBuffer().get(p);
        java.nio.ByteBuffer.wrap(b.get("m1")).asFloatBuffer().get(m1);
        java.nio.ByteBuffer.wrap(b.get("m2")).asFloatBuffer().get(m2);
        step = ((Number) saved.get().state().get("step")).intValue();
        for (Object l : (List<?>) saved.get().state().get("losses")) {
          losses.add(((Number) l).floatValue());
        }
        firstEpoch = saved.get().epochs();
      }
    }
    long stepsPerEpoch = (n - 2) / options.batchSize() + 1; // batches starting below n - 1
    long totalSteps = stepsPerEpoch * options.epochs();
    for (int epoch = firstEpoch; epoch < options.epochs(); epoch++) {
      String last = losses.isEmpty() ? "" : String.format(java.util.Locale.ROOT, ", last epoch's loss %.4f", losses.get(losses.size() - 1));
      int[] order = ClipTrainer.order(options.seed(), epoch, n);
      double sum = 0;
      int steps = 0;
      for (int from = 0; from + 1 < n; from += options.batchSize()) {
        int to = Math.min(n, from + options.batchSize());
        SplittableRandom pick = new SplittableRandom(Seeds.mix(options.seed(), step));
        List<Image> batch = new ArrayList<>();
        List<Image> pos = new ArrayList<>();
        int[] ids = new int[(to - from) * ctx];
        for (int i = from; i < to; i++) {
          SplittableRandom aug = new SplittableRandom(Seeds.mix(Seeds.mix(options.seed() ^ AUGMENT_SALT, epoch), order[i]));
          batch.add(augment.apply(images.get(order[i]), aug));
          pos.add(positives.get(pick.nextInt(positives.size())));
          System.arraycopy(tokens, order[i] * ctx, ids, (i - from) * ctx, ctx);
        }
        float[] grad = new float[p.length];
        float loss;
        try (NDManager sm = model.manager().newSubManager()) {
          loss = lossAndGradient(sm, p, mask, batch, pos, HostTensors.of(sm, ids, new Shape(to - from, ctx)), grad);
        }
        adam(p, grad, m1, m2, ++step);
        sum += loss;
        steps++;
        progress.onProgress(step, totalSteps, "epoch " + (epoch + 1) + "/" + options.epochs() + last);
      }
      losses.add((float) (sum / Math.max(1, steps)));
      if (checkpoints != null && epoch + 1 < options.epochs()) {
        save(epoch + 1, p, m1, m2, step, identity);
      }
    }
    return new AdvPatch(canvas(p, mask), mask, model.config().imageMean(), model.config().imageStd(),
        PatchClamp.of(AdvPatchOptions.ClampMode.CLIP, model.config().imageMean(), model.config().imageStd()), List.of());
  }

  private java.util.Optional<org.abdflow.model.train.EpochCheckpoints.Saved> latest(String identity) {
    try {
      return checkpoints.latest(identity);
    } catch (java.io.IOException e) {
      return java.util.Optional.empty();
    }
  }

  private void save(int epochs, float[] p, float[] m1, float[] m2, int step, String identity) {
    java.util.Map<String, byte[]> blobs = new java.util.LinkedHashMap<>();
    blobs.put("patch", bytes(p));
    blobs.put("m1", bytes(m1));
    blobs.put("m2", bytes(m2));
    java.util.Map<String, Object> state = new java.util.LinkedHashMap<>();
    state.put("step", step);
    state.put("losses", List.copyOf(losses));
    try {
      checkpoints.save(epochs, java.util.Map.of(), state, blobs, identity);
    } catch (java.io.IOException e) {
      // a checkpoint only shortens a rerun; it must not end a generation that can finish
      org.slf4j.LoggerFactory.getLogger(BadClipPatchTrainer.class).warn("could not save the patch state after epoch {}: {}", epochs, e.toString());
    }
  }

  private static byte[] bytes(float[] values) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * values.length);
    b.asFloatBuffer().put(values);
    return b.array();
  }

  /** The objective for one batch at patch {@code p}; writes dObjective/dp into {@code grad}. */
  private float lossAndGradient(NDManager sm, float[] p, PatchMask mask, List<Image> images, List<Image> positives, NDArray ids, float[] grad) {
    int side = options.side();
    int r = resolution;
    NDArray x = batcher.toTensor(sm, images);
    NDArray patch = sm.create(p, new Shape(3, side, side));
    patch.setRequiresGradient(true);
    float[] rows = new float[r * side];
    for (int i = 0; i < side; i++) {
      rows[(mask.row() + i) * side + i] = 1;
    }
    float[] cols = new float[side * r];
    for (int i = 0; i < side; i++) {
      cols[i * r + mask.col() + i] = 1;
    }
    NDArray mean = sm.create(toArray(model.config().imageMean()), new Shape(3, 1, 1));
    NDArray std = sm.create(toArray(model.config().imageStd()), new Shape(3, 1, 1));
    float loss;
    try (Autograd on = Autograd.enabled()) {
      // P placed on an R x R canvas (zeros elsewhere), normalised like the images, pasted where M is 1
      NDArray placed = sm.create(rows, new Shape(r, side)).matMul(patch).matMul(sm.create(cols, new Shape(side, r)));
      NDArray normalised = placed.sub(mean).div(std).reshape(new Shape(1, 3, r, r));
      NDArray xp = mask.apply(x, normalised);
      NDArray anchor = model.encodeImages(xp, false).normalize();
      NDArray negative = model.encodeImages(x, false).normalize().stopGradient();
      NDArray positive = model.encodeImages(batcher.toTensor(sm, positives), false).normalize().stopGradient();
      NDArray text = model.encodeTexts(ids, false).normalize().stopGradient();
      NDArray scale = model.logitScale().reshape(new Shape()).stopGradient();
      scale.attach(sm);
      NDArray textual = Tensors.mul(InfoNce.symmetric(anchor, text, scale, sm), options.textWeight());
      NDArray visual = Tensors.mul(triplet(anchor, positive, negative, options.margin()), options.tripletWeight());
      NDArray total = textual.add(visual);
      Autograd.backward(total);
      loss = total.getFloat();
      float[] g = patch.getGradient().toFloatArray();
      System.arraycopy(g, 0, grad, 0, grad.length);
    }
    if (!Float.isFinite(loss)) {
      throw new IllegalStateException("BadCLIP patch optimisation diverged (loss " + loss + "); lower the learning rate");
    }
    return loss;
  }

  /** torch's TripletMarginLoss (p = 2, eps = 1e-6 inside the distances), mean over the batch. */
  static NDArray triplet(NDArray anchor, NDArray positive, NDArray negative, double margin) {
    NDArray dPos = distance(anchor, positive);
    NDArray dNeg = distance(anchor, negative);
    NDArray hinge = dPos.sub(dNeg).add(Tensors.scalar(dPos, margin));
    return hinge.maximum(Tensors.scalar(hinge, 0)).mean();
  }

  private static NDArray distance(NDArray a, NDArray b) {
    NDArray d = a.sub(b).add(Tensors.scalar(a, 1e-6));
    return d.square().sum(new int[] {1}).sqrt();
  }

  private void adam(float[] p, float[] g, float[] m1, float[] m2, int t) {
    double b1 = 0.9;
    double b2 = 0.999;
    double lr = options.learningRate();
    double c1 = 1 - Math.pow(b1, t);
    double c2 = 1 - Math.pow(b2, t);
    for (int i = 0; i < p.length; i++) {
      m1[i] = (float) (b1 * m1[i] + (1 - b1) * g[i]);
      m2[i] = (float) (b2 * m2[i] + (1 - b2) * g[i] * g[i]);
      double update = lr * (m1[i] / c1) / (Math.sqrt(m2[i] / c2) + 1e-8);
      p[i] = (float) Math.max(0, Math.min(1, p[i] - update));
    }
  }

  /** The patch as an {@link AdvPatch} perturbation: normalised values on the R x R canvas at the mask. */
  private float[] canvas(float[] p, PatchMask mask) {
    int r = resolution;
    int side = options.side();
    float[] out = new float[3 * r * r];
    List<Float> mean = model.config().imageMean();
    List<Float> std = model.config().imageStd();
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
          out[(c * r + mask.row() + y) * r + mask.col() + x] = (p[(c * side + y) * side + x] - mean.get(c)) / std.get(c);
        }
      }
    }
    return out;
  }

  private static float[] toArray(List<Float> v) {
    float[] out = new float[v.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = v.get(i);
    }
    return out;
  }
}
