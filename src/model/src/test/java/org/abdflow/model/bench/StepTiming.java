package org.abdflow.model.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.abdflow.api.PromptTemplates;
import org.abdflow.model.Autograd;
import org.abdflow.model.ClipConfig;
import org.abdflow.model.ClipModel;
import org.abdflow.model.text.WordTokenizer;

/** Where a training step's time goes: forward, backward, per tower, at a given batch size. */
public final class StepTiming {
  private StepTiming() {}

  public static void main(String[] args) {
    int batch = args.length > 0 ? Integer.parseInt(args[0]) : 128;
    int iters = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    String preset = args.length > 2 ? args[2] : "clip-tiny";
    List<String> corpus = new ArrayList<>();
    for (String c : FashionMnist.CLASSES) {
      for (String t : PromptTemplates.SIMPLE) {
        corpus.add(PromptTemplates.fill(t, c));
      }
    }
    WordTokenizer tok = WordTokenizer.build(corpus, 16);
    try (ClipModel model = ClipModel.create(ClipConfig.preset(preset), tok, 1)) {
      model.setRequiresGradient(true);
      for (int it = 0; it < iters; it++) {
        try (NDManager sm = model.manager().newSubManager()) {
          NDArray px = sm.randomNormal(new Shape(batch, 3, 32, 32));
          List<String> caps = new ArrayList<>();
          for (int i = 0; i < batch; i++) {
            caps.add(corpus.get(i % corpus.size()));
          }
          NDArray ids = tok.encode(sm, caps);
          long t0 = System.nanoTime();
          NDArray u;
          NDArray v;
          NDArray loss;
          long t1;
          long t2;
          long t3;
          try (Autograd on = Autograd.enabled()) {
            u = model.encodeImages(px, true);
            t1 = System.nanoTime();
            v = model.encodeTexts(ids, true);
            t2 = System.nanoTime();
            loss = u.normalize().matMul(v.normalize().transpose()).logSoftmax(1).mean();
            Autograd.backward(loss);
            loss.getFloat();
            t3 = System.nanoTime();
          }
          long t4;
          try (Autograd off = Autograd.disabled()) {
            model.encodeImages(px, false).getFloat(0, 0);
            t4 = System.nanoTime();
          }
          System.out.printf(Locale.ROOT, "it %d: image fwd %.1f ms, text fwd %.1f ms, loss+bwd %.1f ms, eval image fwd %.1f ms, managed %d%n",
              it, (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, (t4 - t3) / 1e6, sm.getManagedArrays().size());
        }
      }
    }
  }
}
