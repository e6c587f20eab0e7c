package org.abdflow.model.adv;

import org.abdflow.api.HostTensors;
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.abdflow.api.Seeds;
import org.abdflow.api.Tensors;
import org.abdflow.api.image.Image;
import org.abdflow.model.Autograd;
import org.abdflow.model.ClipModel;
import org.abdflow.model.ImageBatcher;
import org.abdflow.model.train.ClipTrainer;
import org.abdflow.model.train.TrainingData;

/**
 * ABD's Stage A (PAPER.md §1.3, pseudocode §1.6): trains AdvCLIP's patch generator G and
 * discriminator D against two frozen CLIP models, the origin (clean) E_o and the poisoned E_p, and
 * returns the universal patch. Per batch of clean images (brightness-raised in [0, 1], then
 * normalised as the models expect):
 *
 * <ol>
 *   <li>P = clamp(G(z)) for the fixed noise z, x_adv = M⊙P + (1−M)⊙x;
 *   <li>D step on BCE(D(x), 1) + BCE(D(x_adv detached), 0), then every D parameter clipped to ±dClip;
 *   <li>G step on L_G = L_GAN + α·L_adv + L_rec + δ·L_topo ∓ μ·L_bd.
 * </ol>
 *
 * P is computed once per step: the D step does not change G, so AdvCLIP's recomputation gives the
 * same P. The CLIP models run with {@code training = false} (BatchNorm on running statistics) and
 * parameters that require no gradient; gradients flow through them to the patch only, and their
 * weights stay bit-identical. A run depends only on the options' seed (weights of G and D, z,
 * batch order as {@link ClipTrainer#order}, brightness draws per record and epoch). Each step's
 * arrays live on a sub-manager closed at its end; G, D and the optimiser state live for one {@link
 * #fit} call.
 */
public final class AdvPatchTrainer {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AdvPatchTrainer.class);

  private final ClipModel origin;
  private final ClipModel poisoned;
  private final AdvPatchOptions options;
  private final int resolution;
  // resizes into [0, 1]: brightness acts there, before the models' normalisation
  private final ImageBatcher unitBatcher;
  private final List<AdvPatchListener> listeners = new ArrayList<>();
  private volatile NDManager live;
  private org.abdflow.model.train.EpochCheckpoints checkpoints;

  /** Both models must share resolution and normalisation; the one that plays f needs a tokenizer. */
  public AdvPatchTrainer(ClipModel origin, ClipModel poisoned, AdvPatchOptions options) {
    if (origin.config().imageResolution() != poisoned.config().imageResolution()
        || !origin.config().imageMean().equals(poisoned.config().imageMean())
        || !origin.config().imageStd().equals(poisoned.config().imageStd())) {
      throw new IllegalArgumentException("origin and poisoned models see images differently: " + origin.config()
          + " vs " + poisoned.config());
    }
    this.origin = origin;
    this.poisoned = poisoned;
    this.options = options;
    this.resolution = origin.config().imageResolution();
    this.unitBatcher = new ImageBatcher(resolution, List.of(0f, 0f, 0f), List.of(1f, 1f, 1f));
    if (attacked().tokenizer() == null) {
      throw new IllegalArgumentException("the " + options.advEncoder() + " model needs a tokenizer for E_T");
    }
  }

  /**
   * Saves G, D, both optimisers and the loss history at every epoch end except the last in
   * {@code checkpoints}, and resumes from the newest saved epoch there when {@link #fit} starts.
   */
  public AdvPatchTrainer checkpointEpochs(org.abdflow.model.train.EpochCheckpoints checkpoints) {
    this.checkpoints = checkpoints;
    return this;
  }

  public AdvPatchTrainer addListener(AdvPatchListener listener) {
    listeners.add(listener);
    return this;
  }

  /** Number of steps per epoch over {@code n} pairs: full batches and a last one of at least two. */
  public int stepsPerEpoch(int n) {
    int rest = n % options.batchSize();
    return n / options.batchSize() + (rest >= 2 ? 1 : 0);
  }

  /** Trains G and D for {@code options.epochs()} epochs on clean pairs and returns P after the last G step. */
  public AdvPatch fit(TrainingData data) {
    int n = data.size();
    int steps = stepsPerEpoch(n);
    if (steps == 0) {
      throw new IllegalArgumentException("patch generation needs at least two image-caption pairs, got " + n);
    }
    PatchMask mask = options.mask(resolution);
    PatchClamp clamp = PatchClamp.of(options.clampMode(), origin.config().imageMean(), origin.config().imageStd());
    int[] tokens = tokenize(data);
    // frozen: no update, and no graph recorded for their parameters
    origin.setRequiresGradient(false);
    poisoned.setRequiresGradient(false);
    listeners.forEach(l -> l.onStart(n, steps, options));

    List<PatchLossTerms> history = new ArrayList<>();
    float[] perturbation;
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      m.setName("adv-patch");
      live = m;
      Networks nets = new Networks(m, options.ganShape(resolution), mask, clamp);
      try (Adam adamG = new Adam(nets.g.stateDict().values(), m, options.learningRate(), options.beta1(),
              options.beta2());
          Adam adamD = new Adam(nets.d.stateDict().values(), m, options.learningRate(), options.beta1(),
              options.beta2())) {
        int step = 0;
        int firstEpoch = 0;
        String identity = n + " pairs, " + steps + " steps per epoch, " + options.epochs() + " epochs";
        if (checkpoints != null) {
          java.util.Optional<org.abdflow.model.train.EpochCheckpoints.Saved> saved = latest(identity);
          if (saved.isPresent()) {
            firstEpoch = resume(saved.get(), m, nets, adamG, adamD, history);
            step = firstEpoch * steps;
            LOG.info("patch: resuming after epoch {} of {} from {}", firstEpoch, options.epochs(), saved.get().folder());
          }
        }
        adamG.setRequiresGradient(true);
        for (int epoch = firstEpoch; epoch < options.epochs(); epoch++) {
          long epochStart = System.nanoTime();
          int[] order = ClipTrainer.order(options.seed(), epoch, n);
          List<PatchLossTerms> epochTerms = new ArrayList<>(steps);
          for (int s = 0; s < steps; s++, step++) {
            long t0 = System.nanoTime();
            int from = s * options.batchSize();
            int to = Math.min(n, from + options.batchSize());
            PatchLossTerms terms;
            try (NDManager sm = m.newSubManager()) {
              NDArray x = batch(sm, data, order, from, to, epoch);
              NDArray ids = HostTensors.of(sm, slice(tokens, order, from, to), new Shape(to - from, contextLength()));
              terms = step(sm, nets, x, ids, adamG, adamD, "epoch " + epoch + ", step " + step);
            }
            epochTerms.add(terms);
            double ms = (System.nanoTime() - t0) / 1e6;
            for (AdvPatchListener l : listeners) {
              l.onStep(epoch, step, terms, ms);
            }
          }
          PatchLossTerms means = PatchLossTerms.mean(epochTerms);
          history.add(means);
          double secs = (System.nanoTime() - epochStart) / 1e9;
          LOG.debug("patch epoch {}: {} ({} s)", epoch, means, secs);
          for (AdvPatchListener l : listeners) {
            l.onEpochEnd(epoch, means, secs);
          }
          if (checkpoints != null && epoch + 1 < options.epochs()) {
            save(epoch + 1, nets, adamG, adamD, history, identity);
          }
        }
        adamG.setRequiresGradient(false);
      }
      try (NDManager sm = m.newSubManager(); Autograd off = Autograd.disabled()) {
        perturbation = nets.patch(sm).toFloatArray();
      }
    } finally {
      live = null;
    }
    AdvPatch patch = new AdvPatch(perturbation, mask, origin.config().imageMean(), origin.config().imageStd(), clamp,
        history);
    listeners.forEach(l -> l.onEnd(patch));
    return patch;
  }

  private java.util.Optional<org.abdflow.model.train.EpochCheckpoints.Saved> latest(String identity) {
    try {
      return checkpoints.latest(identity);
    } catch (java.io.IOException e) {
      LOG.warn("cannot read the epoch checkpoints in {} ({}); generating from the start", checkpoints.dir(), e.toString());
      return java.util.Optional.empty();
    }
  }

  /** Puts G, D, both optimisers and the history back in place; returns the epochs finished. */
  private int resume(org.abdflow.model.train.EpochCheckpoints.Saved saved, NDManager m, Networks nets, Adam adamG, Adam adamD,
      List<PatchLossTerms> history) {
    try (NDManager scratch = m.newSubManager(); Autograd off = Autograd.disabled()) {
      Map<String, NDArray> arrays = saved.arrays(scratch);
      copy(nets.g.stateDict(), org.abdflow.model.train.EpochCheckpoints.withPrefix(arrays, "g."), saved.folder());
      copy(nets.d.stateDict(), org.abdflow.model.train.EpochCheckpoints.withPrefix(arrays, "d."), saved.folder());
      adamG.restore(org.abdflow.model.train.EpochCheckpoints.withPrefix(arrays, "adam-g."), ((Number) saved.state().get("adam_g_step")).intValue());
      adamD.restore(org.abdflow.model.train.EpochCheckpoints.withPrefix(arrays, "adam-d."), ((Number) saved.state().get("adam_d_step")).intValue());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot resume from " + saved.folder(), e);
    }
    for (Object o : (List<?>) saved.state().get("history")) {
      List<?> t = (List<?>) o;
      history.add(new PatchLossTerms(d(t, 0), d(t, 1), d(t, 2), d(t, 3), d(t, 4), d(t, 5), d(t, 6)));
    }
    return saved.epochs();
  }

  private static double d(List<?> values, int i) {
    return ((Number) values.get(i)).doubleValue();
  }

  private static void copy(Map<String, org.abdflow.model.nn.StateEntry> into, Map<String, NDArray> from, java.nio.file.Path source) {
    if (!from.keySet().equals(into.keySet())) {
      throw new IllegalArgumentException(source + " holds " + from.keySet() + ", the network has " + into.keySet());
    }
    into.forEach((k, e) -> e.copyValuesFrom(from.get(k)));
  }

  private void save(int epochs, Networks nets, Adam adamG, Adam adamD, List<PatchLossTerms> history, String identity) {
    Map<String, NDArray> arrays = new java.util.LinkedHashMap<>();
    nets.g.stateDict().forEach((k, e) -> arrays.put("g." + k, e.array()));
    nets.d.stateDict().forEach((k, e) -> arrays.put("d." + k, e.array()));
    org.abdflow.model.train.EpochCheckpoints.putPrefixed(arrays, "adam-g.", adamG.moments());
    org.abdflow.model.train.EpochCheckpoints.putPrefixed(arrays, "adam-d.", adamD.moments());
    Map<String, Object> state = new java.util.LinkedHashMap<>();
    state.put("adam_g_step", adamG.stepCount());
    state.put("adam_d_step", adamD.stepCount());
    state.put("history", history.stream()
        .map(t -> List.of(t.discriminator(), t.gan(), t.adv(), t.rec(), t.topo(), t.bd(), t.generator())).toList());
    try {
      checkpoints.save(epochs, arrays, state, Map.of(), identity);
    } catch (java.io.IOException e) {
      LOG.warn("could not save the patch state after epoch {} in {}: {}", epochs, checkpoints.dir(), e.toString());
    }
  }

  /** Arrays alive on the networks' manager while {@link #fit} runs (for leak tests), else −1. */
  int liveArrays() {
    NDManager m = live;
    return m == null ? -1 : m.getManagedArrays().size();
  }

  private PatchLossTerms step(NDManager sm, Networks nets, NDArray x, NDArray ids, Adam adamG, Adam adamD,
      String where) {
    float lossD;
    NDArray xAdv;
    try (Autograd on = Autograd.enabled()) {
      xAdv = nets.mask.apply(x, nets.patch(sm));
      adamD.setRequiresGradient(true);
      NDArray real = AdvClipLosses.bceWithLogits(nets.d.logits(nets.ps, x, true), true);
      NDArray fake = AdvClipLosses.bceWithLogits(nets.d.logits(nets.ps, xAdv.stopGradient(), true), false);
      NDArray l = real.add(fake);
      Autograd.backward(l);
      lossD = requireFinite(l.getFloat(), "L_D", where);
    }
    try (Autograd off = Autograd.disabled()) {
      adamD.step(sm);
      clip(adamD.weights(), options.dClip(), sm);
    }
    // D is fixed during the G step: no gradient accumulates into it
    adamD.setRequiresGradient(false);

    GeneratorLoss g;
    try (Autograd on = Autograd.enabled()) {
      g = generatorLoss(nets, x, xAdv, ids);
      Autograd.backward(g.total);
    }
    PatchLossTerms terms = new PatchLossTerms(lossD, g.gan.getFloat(), g.adv.getFloat(), g.rec.getFloat(),
        g.topo.getFloat(), g.bd.getFloat(), requireFinite(g.total.getFloat(), "L_G", where));
    try (Autograd off = Autograd.disabled()) {
      adamG.step(sm);
    }
    return terms;
  }

  // checked before the update it would feed, so that a divergence leaves the last finite weights
  private float requireFinite(float value, String term, String where) {
    if (!Float.isFinite(value)) {
      throw new IllegalStateException("patch generation diverged at " + where + ": " + term + " = " + value
          + " (learning rate " + options.learningRate() + "); lower the learning rate");
    }
    return value;
  }

  /** The terms of L_G for one batch; {@link #total} is the one to back-propagate. */
  private record GeneratorLoss(NDArray gan, NDArray adv, NDArray rec, NDArray topo, NDArray bd, NDArray total) {}

  private GeneratorLoss generatorLoss(Networks nets, NDArray x, NDArray xAdv, NDArray ids) {
    AdvPatchOptions o = options;
    boolean bdInObjective = o.bdSign() != AdvPatchOptions.BdSign.OFF;
    boolean fIsOrigin = o.advEncoder() == AdvPatchOptions.AdvEncoder.ORIGIN;
    ClipModel f = attacked();
    NDArray fx;
    NDArray text;
    try (Autograd off = Autograd.disabled()) {
      fx = f.encodeImages(x, false);
      text = f.encodeTexts(ids, false);
    }
    NDArray fAdv = f.encodeImages(xAdv, false);
    NDArray originAdv = fIsOrigin ? fAdv : embed(origin, xAdv, bdInObjective);
    NDArray poisonedAdv = fIsOrigin ? embed(poisoned, xAdv, bdInObjective) : fAdv;

    NDArray gan = AdvClipLosses.bceWithLogits(nets.d.logits(nets.ps, xAdv, true), true);
    NDArray adv = AdvClipLosses.infoNce(fx, fAdv, o.tau()).neg()
        .sub(Tensors.mul(AdvClipLosses.infoNce(fAdv, text, o.tau()), o.beta()));
    NDArray rec = AdvClipLosses.mse(xAdv, x);
    NDArray topo = AdvClipLosses.topology(fx, fAdv).neg()
        .sub(Tensors.mul(AdvClipLosses.topology(fAdv, text), o.gamma()));
    NDArray bd = AdvClipLosses.infoNce(poisonedAdv, originAdv, o.tau());
    NDArray total = gan.add(Tensors.mul(adv, o.alpha())).add(rec).add(Tensors.mul(topo, o.delta()));
    if (bdInObjective) {
      total = total.add(Tensors.mul(bd, o.bdSign().sign() * o.mu()));
    }
    return new GeneratorLoss(gan, adv, rec, topo, bd, total);
  }

  /** Image features of x_adv, with a graph back to the patch only when the objective needs one. */
  private static NDArray embed(ClipModel model, NDArray xAdv, boolean withGraph) {
    if (withGraph) {
      return model.encodeImages(xAdv, false);
    }
    try (Autograd off = Autograd.disabled()) {
      return model.encodeImages(xAdv, false);
    }
  }

  /** Clips every weight to [−bound, bound] in place, so the optimiser's and the block's handles stay the same arrays. */
  static void clip(List<NDArray> weights, double bound, NDManager sm) {
    NDArray lo = sm.full(new Shape(), (float) -bound);
    NDArray hi = sm.full(new Shape(), (float) bound);
    for (NDArray w : weights) {
      NDArray clipped = w.maximum(lo);
      clipped.attach(sm);
      w.subi(w).addi(clipped.minimum(hi));
    }
  }

  private ClipModel attacked() {
    return options.advEncoder() == AdvPatchOptions.AdvEncoder.ORIGIN ? origin : poisoned;
  }

  private int contextLength() {
    return attacked().tokenizer().contextLength();
  }

  private int[] tokenize(TrainingData data) {
    int ctx = contextLength();
    int[] out = new int[data.size() * ctx];
    for (int i = 0; i < data.size(); i++) {
      System.arraycopy(attacked().tokenizer().encode(data.caption(i)), 0, out, i * ctx, ctx);
    }
    return out;
  }

  private int[] slice(int[] tokens, int[] order, int from, int to) {
    int ctx = contextLength();
    int[] ids = new int[(to - from) * ctx];
    for (int i = from; i < to; i++) {
      System.arraycopy(tokens, order[i] * ctx, ids, (i - from) * ctx, ctx);
    }
    return ids;
  }

  /**
   * Clean images of one batch: resized into [0, 1], brightness raised by a factor drawn per record
   * and epoch (clipped to 1, as torchvision's brightness), then normalised with the models' statistics.
   */
  private NDArray batch(NDManager sm, TrainingData data, int[] order, int from, int to, int epoch) {
    List<Image> images = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      images.add(data.image(order[i], epoch));
    }
    float[] px = unitBatcher.toArray(images);
    List<Float> mean = origin.config().imageMean();
    List<Float> std = origin.config().imageStd();
    int plane = resolution * resolution;
    for (int i = from; i < to; i++) {
      Random rnd = new Random(Seeds.forRecord(options.seed(), "adv-patch-brightness:" + epoch, data.id(order[i])));
      float factor = (float) (options.brightnessMin()
          + (options.brightnessMax() - options.brightnessMin()) * rnd.nextDouble());
      for (int c = 0; c < 3; c++) {
        float mc = mean.get(c);
        float sc = std.get(c);
        int at = ((i - from) * 3 + c) * plane;
        for (int k = at; k < at + plane; k++) {
          px[k] = (Math.min(1f, px[k] * factor) - mc) / sc;
        }
      }
    }
    return HostTensors.of(sm, px, new Shape(to - from, 3, resolution, resolution));
  }

  /** G and D on one manager, with the fixed noise and the patch geometry. */
  private final class Networks {
    final PatchGenerator g;
    final PatchDiscriminator d;
    final ParameterStore ps;
    final PatchMask mask;
    final PatchClamp clamp;
    final float[] z;

    Networks(NDManager m, PatchGanShape shape, PatchMask mask, PatchClamp clamp) {
      this.mask = mask;
      this.clamp = clamp;
      g = new PatchGenerator(shape, options.batchSize());
      d = new PatchDiscriminator(shape);
      g.initialize(m, Seeds.forStage(options.seed(), "adv-patch-generator"));
      d.initialize(m, Seeds.forStage(options.seed(), "adv-patch-discriminator"));
      ps = new ParameterStore(m, false);
      Random rnd = new Random(Seeds.forStage(options.seed(), "adv-patch-noise"));
      z = new float[options.batchSize() * PatchGenerator.NOISE_DIM];
      for (int i = 0; i < z.length; i++) {
        z[i] = (float) rnd.nextGaussian();
      }
    }

    /** P = clamp(G(z)), 1×3×R×R on {@code sm}; BatchNorm on the noise batch's statistics, as in training. */
    NDArray patch(NDManager sm) {
      NDArray noise = HostTensors.of(sm, z, new Shape(options.batchSize(), PatchGenerator.NOISE_DIM, 1, 1));
      return clamp.apply(g.forward(ps, noise, true));
    }
  }
}
