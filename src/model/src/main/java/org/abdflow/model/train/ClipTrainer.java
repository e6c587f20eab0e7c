package org.abdflow.model.train;

import org.abdflow.api.HostTensors;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.abdflow.api.Loss;
import org.abdflow.api.Seeds;
import org.abdflow.api.image.Image;
import org.abdflow.model.Autograd;
import org.abdflow.model.ClipModel;
import org.abdflow.model.ImageBatcher;
import org.abdflow.model.text.Tokenizer;

/**
 * Contrastive training of a {@link ClipModel} on image–caption pairs. Batches follow a shuffled
 * order that depends only on the options' seed and the epoch, so two runs from the same weights
 * give the same weights. Each step's arrays live on a sub-manager closed at the end of the step.
 * The optimiser state lives for one {@link #fit} call.
 *
 * <p>A step whose loss or gradients are not finite is computed again from the same weights before
 * any update (up to {@value #RECOMPUTE_LIMIT} times) and counted in {@link
 * TrainingResult#recomputedSteps()}, so that one transient fault cannot poison every weight; a
 * step that stays non-finite is a real divergence and fails the run with the step and learning
 * rate. (The fault that prompted this was DJL's {@code mul(Number)} freeing a tensor its backward
 * reads; graph code now uses {@link org.abdflow.api.Tensors}, and a healthy run recomputes nothing.)
 */
public final class ClipTrainer {
  static final int RECOMPUTE_LIMIT = 3;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ClipTrainer.class);

  private final ClipModel model;
  private final TrainingOptions options;
  private final List<TrainingListener> listeners = new ArrayList<>();
  private EpochCheckpoints checkpoints;
  private int recomputed;

  public ClipTrainer(ClipModel model, TrainingOptions options) {
    if (model.tokenizer() == null) {
      throw new IllegalArgumentException("training needs a model with a tokenizer");
    }
    this.model = model;
    this.options = options;
  }

  public ClipTrainer addListener(TrainingListener listener) {
    listeners.add(listener);
    return this;
  }

  /**
   * Saves the state at every epoch end except the last in {@code checkpoints}, and resumes from
   * the newest saved epoch there when {@link #fit} starts.
   */
  public ClipTrainer checkpointEpochs(EpochCheckpoints checkpoints) {
    this.checkpoints = checkpoints;
    return this;
  }

  /** The order in which epoch {@code epoch} visits the pairs 0..n-1. */
  public static int[] order(long seed, int epoch, int n) {
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    Random rnd = new Random(Seeds.mix(seed, epoch));
    for (int i = n - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = idx[i];
      idx[i] = idx[j];
      idx[j] = t;
    }
    return idx;
  }

  /** Trains for {@code options.epochs()} epochs, minimising {@code objective}. */
  public TrainingResult fit(TrainingData data, Objective objective) {
    int n = data.size();
    int stepsPerEpoch = options.stepsPerEpoch(n);
    int totalSteps = stepsPerEpoch * options.epochs();
    int[] tokens = tokenize(data, false);
    boolean wantImageView = objective.views().contains(Loss.IMAGE_VIEW);
    boolean wantTextView = objective.views().contains(Loss.TEXT_VIEW);
    boolean wantOriginals = objective.needsOriginals();
    int[] viewTokens = wantTextView ? tokenize(data, true) : null;
    int ctx = model.config().contextLength();
    ImageBatcher batcher = model.imageBatcher();
    listeners.forEach(l -> l.onTrainingStart(n, stepsPerEpoch, options));

    List<Float> epochLosses = new ArrayList<>();
    long start = System.nanoTime();
    StepClock clock = new StepClock();
    int step = 0;
    int firstEpoch = 0;
    recomputed = 0;
    String identity = n + " pairs, " + stepsPerEpoch + " steps per epoch, " + options.epochs() + " epochs";
    try (AdamW optimizer = new AdamW(model.stateDict(), model.manager(), options)) {
      if (checkpoints != null) {
        java.util.Optional<EpochCheckpoints.Saved> saved = latest(identity);
        if (saved.isPresent()) {
          EpochCheckpoints.Saved sv = saved.get();
          restore(sv, optimizer, objective);
          firstEpoch = sv.epochs();
          step = ((Number) sv.state().get("step")).intValue();
          recomputed = ((Number) sv.state().get("recomputed")).intValue();
          for (Object l : (List<?>) sv.state().get("epoch_losses")) {
            epochLosses.add(((Number) l).floatValue());
          }
          LOG.info("resuming after epoch {} of {} from {}", firstEpoch, options.epochs(), sv.folder());
        }
      }
      model.setRequiresGradient(true);
      for (int epoch = firstEpoch; epoch < options.epochs(); epoch++) {
        long epochStart = System.nanoTime();
        int[] order = order(options.seed(), epoch, n);
        double lossSum = 0;
        for (int s = 0; s < stepsPerEpoch; s++, step++) {
          clock.start();
          int from = s * options.batchSize();
          int to = Math.min(n, from + options.batchSize());
          List<Image> images = wantOriginals ? new ArrayList<>(to - from) : null;
          List<Image> imageViews = wantImageView ? new ArrayList<>(to - from) : null;
          int[] ids = new int[(to - from) * ctx];
          int[] viewIds = wantTextView ? new int[(to - from) * ctx] : null;
          for (int i = from; i < to; i++) {
            if (wantOriginals) {
              images.add(data.image(order[i], epoch));
            }
            System.arraycopy(tokens, order[i] * ctx, ids, (i - from) * ctx, ctx);
            if (wantImageView) {
              imageViews.add(data.imageView(order[i], epoch));
            }
            if (wantTextView) {
              System.arraycopy(viewTokens, order[i] * ctx, viewIds, (i - from) * ctx, ctx);
            }
          }
          double lr = options.learningRate(step, totalSteps);
          float loss;
          try (NDManager sm = model.manager().newSubManager()) {
            Inputs in = new Inputs(
                wantOriginals ? batcher.toTensor(sm, images) : null,
                wantOriginals ? HostTensors.of(sm, ids, new Shape(to - from, ctx)) : null,
                wantImageView ? batcher.toTensor(sm, imageViews) : null,
                wantTextView ? HostTensors.of(sm, viewIds, new Shape(to - from, ctx)) : null);
            clock.dataDone();
            loss = step(sm, in, epoch, objective, optimizer, lr, clock);
          }
          double ms = clock.stop();
          lossSum += loss;
          for (TrainingListener l : listeners) {
            l.onStep(epoch, step, loss, lr, ms);
          }
        }
        float mean = (float) (lossSum / Math.max(1, stepsPerEpoch));
        epochLosses.add(mean);
        double secs = (System.nanoTime() - epochStart) / 1e9;
        for (TrainingListener l : listeners) {
          l.onEpochEnd(epoch, mean, secs);
        }
        if (checkpoints != null && epoch + 1 < options.epochs()) {
          save(epoch + 1, step, epochLosses, optimizer, objective, identity);
        }
      }
    } finally {
      model.setRequiresGradient(false);
    }
    TrainingResult result =
        TrainingResult.builder()
            .setEpochLosses(epochLosses)
            .setSteps(step)
            .setSeconds((System.nanoTime() - start) / 1e9)
            .setMillisPerStep(clock.mean(clock.total))
            .setMillisData(clock.mean(clock.data))
            .setMillisForwardBackward(clock.mean(clock.compute))
            .setMillisUpdate(clock.mean(clock.update))
            .setLogitScale(model.logitScaleValue())
            .setRecomputedSteps(recomputed)
            .setResumedEpochs(firstEpoch)
            .build();
    listeners.forEach(l -> l.onTrainingEnd(result));
    return result;
  }

  private java.util.Optional<EpochCheckpoints.Saved> latest(String identity) {
    try {
      return checkpoints.latest(identity);
    } catch (java.io.IOException e) {
      LOG.warn("cannot read the epoch checkpoints in {} ({}); training from the start", checkpoints.dir(), e.toString());
      return java.util.Optional.empty();
    }
  }

  private void restore(EpochCheckpoints.Saved saved, AdamW optimizer, Objective objective) {
    try (NDManager scratch = model.manager().newSubManager()) {
      Map<String, NDArray> arrays = saved.arrays(scratch);
      model.copyStateFrom(EpochCheckpoints.withPrefix(arrays, "model."), saved.folder().toString());
      optimizer.restore(EpochCheckpoints.withPrefix(arrays, "adamw."), ((Number) saved.state().get("optimizer_step")).intValue());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot resume from " + saved.folder(), e);
    }
    objective.restore(saved.blobs());
  }

  private void save(int epochs, int step, List<Float> epochLosses, AdamW optimizer, Objective objective, String identity) {
    model.setRequiresGradient(false);
    try {
      Map<String, NDArray> arrays = new java.util.LinkedHashMap<>();
      model.stateDict().forEach((k, e) -> arrays.put("model." + k, e.array()));
      EpochCheckpoints.putPrefixed(arrays, "adamw.", optimizer.moments());
      Map<String, Object> state = new java.util.LinkedHashMap<>();
      state.put("step", step);
      state.put("optimizer_step", optimizer.stepCount());
      state.put("recomputed", recomputed);
      state.put("epoch_losses", epochLosses);
      checkpoints.save(epochs, arrays, state, objective.state(), identity);
    } catch (java.io.IOException e) {
      // a checkpoint only shortens a rerun; a full disk must not end a training that can finish
      LOG.warn("could not save the state after epoch {} in {}: {}", epochs, checkpoints.dir(), e.toString());
    } finally {
      model.setRequiresGradient(true);
    }
  }

  /** One step's input arrays; each is null when no loss term reads it. */
  private record Inputs(NDArray pixels, NDArray text, NDArray pixelView, NDArray textView) {}

  private float step(NDManager sm, Inputs in, int epoch, Objective objective, AdamW optimizer, double lr, StepClock clock) {
    float loss;
    for (int attempt = 0; ; attempt++) {
      try (Autograd on = Autograd.enabled()) {
        NDArray u = in.pixels() == null ? null : model.encodeImages(in.pixels(), true).normalize();
        NDArray v = in.text() == null ? null : model.encodeTexts(in.text(), true).normalize();
        Map<String, NDArray> views = new java.util.HashMap<>();
        if (in.pixelView() != null) {
          views.put(Loss.IMAGE_VIEW, model.encodeImages(in.pixelView(), true).normalize());
        }
        if (in.textView() != null) {
          views.put(Loss.TEXT_VIEW, model.encodeTexts(in.textView(), true).normalize());
        }
        NDArray scale = model.logitScale().reshape(new Shape());
        scale.attach(sm);
        NDArray value = objective.loss(new StepBatch(u, v, scale, views, epoch, sm));
        Autograd.backward(value);
        loss = value.getFloat();
      }
      if (Float.isFinite(loss) && optimizer.gradientsFinite(sm)) {
        break;
      }
      List<String> bad = optimizer.nonFiniteGradients(sm);
      optimizer.zeroGradients();
      if (attempt == RECOMPUTE_LIMIT) {
        throw new IllegalStateException("loss became " + loss + " at epoch " + epoch + " (learning rate " + lr
            + "): the step stayed non-finite after " + RECOMPUTE_LIMIT + " recomputations; lower the learning rate");
      }
      recomputed++;
      LOG.warn("non-finite loss or gradient at epoch {} (loss {}, gradients of {}); computing the step again",
          epoch, loss, bad.size() > 4 ? bad.subList(0, 4) + " and " + (bad.size() - 4) + " more" : bad);
    }
    clock.computeDone();
    try (Autograd off = Autograd.disabled()) {
      optimizer.step(lr, sm);
      clampLogitScale();
    }
    return loss;
  }

  private void clampLogitScale() {
    NDArray s = model.logitScale();
    float value = s.getFloat();
    float clamped = (float) Math.max(0, Math.min(options.logitScaleMax(), value));
    if (clamped != value) {
      s.muli(0).addi(clamped);
    }
  }

  /** Where step time goes: batching, forward + backward, optimiser update. */
  private static final class StepClock {
    long t0;
    long t1;
    long t2;
    double total;
    double data;
    double compute;
    double update;
    int steps;

    void start() {
      t0 = System.nanoTime();
    }

    void dataDone() {
      t1 = System.nanoTime();
    }

    void computeDone() {
      t2 = System.nanoTime();
    }

    double stop() {
      long t3 = System.nanoTime();
      steps++;
      data += (t1 - t0) / 1e6;
      compute += (t2 - t1) / 1e6;
      update += (t3 - t2) / 1e6;
      double ms = (t3 - t0) / 1e6;
      total += ms;
      return ms;
    }

    double mean(double sum) {
      return steps == 0 ? 0 : sum / steps;
    }
  }

  private int[] tokenize(TrainingData data, boolean views) {
    Tokenizer tokenizer = model.tokenizer();
    int ctx = tokenizer.contextLength();
    int[] out = new int[data.size() * ctx];
    for (int i = 0; i < data.size(); i++) {
      System.arraycopy(tokenizer.encode(views ? data.captionView(i) : data.caption(i)), 0, out, i * ctx, ctx);
    }
    return out;
  }
}
