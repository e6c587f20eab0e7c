package org.abdflow.model.adv;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.abdflow.model.Autograd;
import org.abdflow.model.ClipConfig;
import org.abdflow.model.ClipModel;
import org.abdflow.model.Synthetic;
import org.abdflow.model.text.WordTokenizer;

/**
 * Where a patch-generation step's time goes at the demo size (clip-tiny, 32 px, batch 64): the
 * generator alone (forward, backward) and whole G+D steps. Not a test; run its main.
 */
public final class AdvPatchStepTiming {
  private AdvPatchStepTiming() {}

  public static void main(String[] args) {
    int batch = args.length > 0 ? Integer.parseInt(args[0]) : 64;
    int steps = args.length > 1 ? Integer.parseInt(args[1]) : 6;
    try (NDManager m = NDManager.newBaseManager()) {
      PatchGenerator g = new PatchGenerator(PatchGanShape.forResolution(32), batch);
      g.initialize(m, 1L);
      g.stateDict().values().stream().filter(e -> e.trainable()).forEach(e -> e.array().setRequiresGradient(true));
      ParameterStore ps = new ParameterStore(m, false);
      for (int i = 0; i < 4; i++) {
        try (NDManager sm = m.newSubManager(); Autograd on = Autograd.enabled()) {
          NDArray z = sm.randomNormal(new Shape(batch, PatchGenerator.NOISE_DIM, 1, 1));
          long t0 = System.nanoTime();
          NDArray p = g.forward(ps, z, true);
          p.getFloat(0, 0, 0, 0);
          long t1 = System.nanoTime();
          Autograd.backward(p.sum());
          NDArray gw = g.stateDict().get("hidden_layer.deconv1.weight").array().getGradient();
          gw.attach(sm);
          gw.getFloat(0, 0, 0, 0);
          long t2 = System.nanoTime();
          System.out.printf(Locale.ROOT, "generator at noise batch %d: forward %.1f ms, backward %.1f ms%n", batch,
              (t1 - t0) / 1e6, (t2 - t1) / 1e6);
          g.stateDict().values().stream().filter(e -> e.trainable())
              .forEach(e -> ai.djl.pytorch.jni.JniUtils.zeroGrad((ai.djl.pytorch.engine.PtNDArray) e.array()));
        }
      }
    }
    Synthetic data = new Synthetic(batch * steps, 3);
    WordTokenizer tok = WordTokenizer.build(data.captions(), 16);
    try (ClipModel origin = ClipModel.create(ClipConfig.preset("clip-tiny"), tok, 1);
        ClipModel poisoned = ClipModel.create(ClipConfig.preset("clip-tiny"), tok, 2)) {
      for (int i = 0; i < 4; i++) {
        try (NDManager sm = origin.manager().newSubManager(); Autograd on = Autograd.enabled()) {
          NDArray x = sm.randomNormal(new Shape(batch, 3, 32, 32));
          x.setRequiresGradient(true);
          long t0 = System.nanoTime();
          NDArray e = origin.encodeImages(x, false).add(poisoned.encodeImages(x, false));
          e.getFloat(0, 0);
          long t1 = System.nanoTime();
          Autograd.backward(e.sum());
          NDArray gx = x.getGradient();
          gx.attach(sm);
          gx.getFloat(0, 0, 0, 0);
          long t2 = System.nanoTime();
          System.out.printf(Locale.ROOT, "both image encoders at batch %d: forward %.1f ms, input backward %.1f ms%n",
              batch, (t1 - t0) / 1e6, (t2 - t1) / 1e6);
        }
      }
      List<Double> ms = new ArrayList<>();
      AdvPatchOptions o = AdvPatchOptions.demoBuilder().setEpochs(1).setBatchSize(batch).build();
      new AdvPatchTrainer(origin, poisoned, o).addListener(new AdvPatchListener() {
        @Override
        public void onStep(int epoch, int step, PatchLossTerms terms, double millis) {
          ms.add(millis);
        }
      }).fit(data);
      double rest = ms.subList(1, ms.size()).stream().mapToDouble(Double::doubleValue).average().orElse(0);
      System.out.printf(Locale.ROOT, "G+D step at batch %d: %s ms; mean after the first %.1f ms%n", batch, ms, rest);
    }
  }
}
