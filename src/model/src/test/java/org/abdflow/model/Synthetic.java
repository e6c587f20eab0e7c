package org.abdflow.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.abdflow.api.PromptTemplates;
import org.abdflow.api.image.Image;
import org.abdflow.model.train.TrainingData;

/** Tiny labelled data for tests: three classes of 28×28 grey patterns with noise. */
public final class Synthetic implements TrainingData {
  public static final List<String> CLASSES = List.of("stripe", "square", "ring");

  private final List<Image> images = new ArrayList<>();
  private final List<Integer> labels = new ArrayList<>();
  private final List<String> captions = new ArrayList<>();

  public Synthetic(int n, long seed) {
    Random rnd = new Random(seed);
    for (int i = 0; i < n; i++) {
      int label = i % CLASSES.size();
      images.add(pattern(label, rnd));
      labels.add(label);
      String t = PromptTemplates.SIMPLE.get(rnd.nextInt(PromptTemplates.SIMPLE.size()));
      captions.add(PromptTemplates.fill(t, CLASSES.get(label)));
    }
  }

  static Image pattern(int label, Random rnd) {
    byte[] px = new byte[28 * 28];
    for (int y = 0; y < 28; y++) {
      for (int x = 0; x < 28; x++) {
        boolean on;
        if (label == 0) {
          on = (x / 4) % 2 == 0;
        } else if (label == 1) {
          on = x > 7 && x < 20 && y > 7 && y < 20;
        } else {
          double r = Math.hypot(x - 13.5, y - 13.5);
          on = r > 8 && r < 12;
        }
        int v = (on ? 200 : 30) + (int) (rnd.nextGaussian() * 20);
        px[y * 28 + x] = (byte) Math.max(0, Math.min(255, v));
      }
    }
    return Image.wrap(28, 28, 1, px);
  }

  public List<Image> images() {
    return images;
  }

  public int label(int i) {
    return labels.get(i);
  }

  public List<String> captions() {
    return captions;
  }

  @Override
  public int size() {
    return images.size();
  }

  @Override
  public Image image(int index, int epoch) {
    return images.get(index);
  }

  @Override
  public String caption(int index) {
    return captions.get(index);
  }

  @Override
  public String id(int index) {
    return "synthetic-" + index;
  }
}
