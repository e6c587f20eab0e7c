package org.abdflow.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.abdflow.api.PromptTemplates;
import org.abdflow.api.image.Image;

/**
 * CLIP's zero-shot classifier: each class is the mean of its L2-normalised prompt embeddings,
 * re-normalised; an image's scores are cosine similarities to the classes. Holds the class
 * embeddings as plain floats, so it is immutable, closes nothing and may be shared by threads.
 */
public final class ZeroShotClassifier {
  private static final int IMAGE_CHUNK = 256;

  private final ClipModel model;
  private final List<String> classNames;
  private final int dim;
  // d × C, row-major: ready for images (N × d) @ classes
  private final float[] classMatrix;

  private ZeroShotClassifier(ClipModel model, List<String> classNames, float[] classMatrix, int dim) {
    this.model = model;
    this.classNames = List.copyOf(classNames);
    this.classMatrix = classMatrix;
    this.dim = dim;
  }

  /** Class embeddings from {@code templates} ({@code {}} = lower-cased class name) for each class. */
  public static ZeroShotClassifier build(ClipModel model, List<String> classNames, List<String> templates) {
    int c = classNames.size();
    int d = model.config().embedDim();
    float[] matrix = new float[d * c];
    try (Autograd off = Autograd.disabled()) {
      for (int k = 0; k < c; k++) {
        List<String> prompts = new ArrayList<>();
        for (String t : templates) {
          prompts.add(PromptTemplates.fill(t, classNames.get(k)));
        }
        // one scope per class: 1,000 classes × 80 prompts of intermediates would not fit at once
        try (NDManager m = model.manager().newSubManager()) {
          NDArray ids = model.tokenizer().encode(m, prompts);
          NDArray mean = model.encodeTexts(ids, false).normalize().mean(new int[] {0}, true).normalize();
          float[] v = mean.toFloatArray();
          for (int j = 0; j < d; j++) {
            matrix[j * c + k] = v[j];
          }
        }
      }
    }
    return new ZeroShotClassifier(model, classNames, matrix, d);
  }

  public List<String> classNames() {
    return classNames;
  }

  /** Cosine similarity of each image to each class, N × C (eval mode, no gradient). */
  public float[][] scores(NDArray imageTensor) {
    int c = classNames.size();
    long n = imageTensor.getShape().get(0);
    try (NDManager m = imageTensor.getManager().newSubManager(); Autograd off = Autograd.disabled()) {
      // the forward's intermediates land on the input's manager: borrow the input for this scope
      imageTensor.tempAttach(m);
      NDArray classes = m.create(classMatrix, new Shape(dim, c));
      NDArray u = model.encodeImages(imageTensor, false);
      float[] flat = u.normalize().matMul(classes).toFloatArray();
      float[][] out = new float[(int) n][c];
      for (int i = 0; i < n; i++) {
        System.arraycopy(flat, i * c, out[i], 0, c);
      }
      return out;
    }
  }

  /** Per image, the indices of the {@code k} best classes, best first. */
  public int[][] topK(NDArray imageTensor, int k) {
    float[][] scores = scores(imageTensor);
    int[][] out = new int[scores.length][];
    for (int i = 0; i < scores.length; i++) {
      out[i] = topK(scores[i], k);
    }
    return out;
  }

  /** {@link #topK(NDArray, int)} over images, batched with the model's {@link ImageBatcher}. */
  public int[][] topK(List<Image> images, int k) {
    ImageBatcher batcher = model.imageBatcher();
    int[][] out = new int[images.size()][];
    try (NDManager m = model.manager().newSubManager()) {
      for (int from = 0; from < images.size(); from += IMAGE_CHUNK) {
        int to = Math.min(images.size(), from + IMAGE_CHUNK);
        try (NDManager chunk = m.newSubManager()) {
          int[][] part = topK(batcher.toTensor(chunk, images.subList(from, to)), k);
          System.arraycopy(part, 0, out, from, part.length);
        }
      }
    }
    return out;
  }

  /** L2-normalised image embeddings, N × d (eval mode, no gradient). */
  public float[][] embedImages(NDArray imageTensor) {
    try (NDManager m = imageTensor.getManager().newSubManager(); Autograd off = Autograd.disabled()) {
      imageTensor.tempAttach(m);
      NDArray u = model.encodeImages(imageTensor, false);
      return rows(u.normalize().toFloatArray(), (int) imageTensor.getShape().get(0), dim);
    }
  }

  /** The class embeddings, C × d, unit length. */
  public float[][] classEmbeddings() {
    int c = classNames.size();
    float[][] out = new float[c][dim];
    for (int k = 0; k < c; k++) {
      for (int j = 0; j < dim; j++) {
        out[k][j] = classMatrix[j * c + k];
      }
    }
    return out;
  }

  private static float[][] rows(float[] flat, int n, int d) {
    float[][] out = new float[n][d];
    for (int i = 0; i < n; i++) {
      System.arraycopy(flat, i * d, out[i], 0, d);
    }
    return out;
  }

  /** Indices of the {@code k} largest values, largest first (ties: lower index first). */
  static int[] topK(float[] values, int k) {
    int kk = Math.min(k, values.length);
    int[] best = new int[kk];
    int filled = 0;
    for (int j = 0; j < values.length; j++) {
      int pos = filled;
      while (pos > 0 && values[best[pos - 1]] < values[j]) {
        pos--;
      }
      if (pos < kk) {
        int last = Math.min(filled, kk - 1);
        System.arraycopy(best, pos, best, pos + 1, last - pos);
        best[pos] = j;
        filled = Math.min(kk, filled + 1);
      }
    }
    return best;
  }
}
