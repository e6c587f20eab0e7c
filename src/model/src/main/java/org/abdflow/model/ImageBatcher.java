package org.abdflow.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.abdflow.api.HostTensors;
import org.abdflow.api.image.Image;
import org.abdflow.api.image.Resize;

/**
 * Where records become model input: 8-bit images (grey or RGB, any size) to one normalised N×3×R×R
 * float array per batch. With {@link ClipConfig.Preprocess#CLIP} an image that is not R×R is
 * resized as OpenAI's preprocessing does ({@link Resize#clip}: bicubic shorter side, centre crop,
 * in 8 bits as Pillow). With {@link ClipConfig.Preprocess#STRETCH} resizing is bilinear with PIL's
 * antialiasing (a triangle filter widened by the scale factor when shrinking; plain half-pixel
 * bilinear when enlarging, as torch's {@code interpolate(align_corners=False)}), done on floats
 * without re-quantising; the aspect ratio is not kept. Grey images are replicated to three
 * channels. Immutable and thread-safe.
 */
public final class ImageBatcher {
  private static final Map<Long, Resampler> RESAMPLERS = new ConcurrentHashMap<>();

  private final int resolution;
  private final ClipConfig.Preprocess preprocess;
  private final float[] mean = new float[3];
  private final float[] invStd = new float[3];

  public ImageBatcher(ClipConfig config) {
    this(config.imageResolution(), config.imageMean(), config.imageStd(), config.preprocess());
  }

  /** A stretching batcher (the small-data default). */
  public ImageBatcher(int resolution, List<Float> mean, List<Float> std) {
    this(resolution, mean, std, ClipConfig.Preprocess.STRETCH);
  }

  public ImageBatcher(int resolution, List<Float> mean, List<Float> std, ClipConfig.Preprocess preprocess) {
    this.resolution = resolution;
    this.preprocess = preprocess;
    for (int c = 0; c < 3; c++) {
      this.mean[c] = mean.get(c);
      this.invStd[c] = 1f / std.get(c);
    }
  }

  public int resolution() {
    return resolution;
  }

  /** The batch as one N×3×R×R float32 array on {@code manager}. */
  public NDArray toTensor(NDManager manager, List<Image> images) {
    Shape shape = new Shape(images.size(), 3, resolution, resolution);
    return HostTensors.ofFloats(manager, shape, out -> write(images, out));
  }

  /** The batch's values, N×3×R×R row-major, normalised. */
  public float[] toArray(List<Image> images) {
    float[] out = new float[images.size() * 3 * resolution * resolution];
    write(images, FloatBuffer.wrap(out));
    return out;
  }

  private void write(List<Image> images, FloatBuffer out) {
    int plane = resolution * resolution;
    Scratch scratch = new Scratch(plane);
    for (int i = 0; i < images.size(); i++) {
      write(images.get(i), out, i * 3 * plane, scratch);
    }
  }

  /** Per-batch work arrays, grown to the largest image: a batch allocates them once, not per image. */
  private static final class Scratch {
    final float[] normalised;
    final float[] dst;
    float[] src = new float[0];
    float[] tmp = new float[0];

    Scratch(int plane) {
      normalised = new float[plane];
      dst = new float[plane];
    }

    void fit(int h, int w, int resolution) {
      if (src.length < h * w) {
        src = new float[h * w];
      }
      if (tmp.length < h * resolution) {
        tmp = new float[h * resolution];
      }
    }
  }

  private void write(Image given, FloatBuffer out, int offset, Scratch scratch) {
    Image img = preprocess == ClipConfig.Preprocess.CLIP ? Resize.clip(given, resolution) : given;
    int h = img.height();
    int w = img.width();
    int channels = img.channels();
    byte[] px = img.unsafeBytes();
    Resampler rows = resampler(h, resolution);
    Resampler cols = resampler(w, resolution);
    int plane = resolution * resolution;
    scratch.fit(h, w, resolution);
    float[] src = scratch.src;
    float[] normalised = scratch.normalised;
    for (int c = 0; c < channels; c++) {
      for (int i = 0, p = c; i < h * w; i++, p += channels) {
        src[i] = (px[p] & 0xff) * (1f / 255f);
      }
      float[] resized = resize(src, h, w, rows, cols, scratch.tmp, scratch.dst);
      if (channels == 1) {
        for (int k = 0; k < 3; k++) {
          normalise(resized, normalised, k);
          out.put(offset + k * plane, normalised, 0, plane);
        }
      } else {
        normalise(resized, normalised, c);
        out.put(offset + c * plane, normalised, 0, plane);
      }
    }
  }

  private void normalise(float[] values, float[] out, int channel) {
    float m = mean[channel];
    float s = invStd[channel];
    for (int i = 0; i < out.length; i++) {
      out[i] = (values[i] - m) * s;
    }
  }

  private float[] resize(float[] src, int h, int w, Resampler rows, Resampler cols, float[] tmp, float[] dst) {
    if (h == resolution && w == resolution) {
      return src;
    }
    int r = resolution;
    // horizontal pass: h × r
    for (int y = 0; y < h; y++) {
      int base = y * w;
      for (int x = 0; x < r; x++) {
        float acc = 0;
        int from = cols.first[x];
        float[] wt = cols.weights[x];
        for (int k = 0; k < wt.length; k++) {
          acc += wt[k] * src[base + from + k];
        }
        tmp[y * r + x] = acc;
      }
    }
    // vertical pass: r × r
    for (int y = 0; y < r; y++) {
      int from = rows.first[y];
      float[] wt = rows.weights[y];
      for (int x = 0; x < r; x++) {
        float acc = 0;
        for (int k = 0; k < wt.length; k++) {
          acc += wt[k] * tmp[(from + k) * r + x];
        }
        dst[y * r + x] = acc;
      }
    }
    return dst;
  }

  private static Resampler resampler(int in, int out) {
    return RESAMPLERS.computeIfAbsent(((long) in << 32) | out, k -> new Resampler(in, out));
  }

  /** Per output pixel: the first input pixel and the normalised weights of the triangle filter. */
  private static final class Resampler {
    final int[] first;
    final float[][] weights;

    Resampler(int in, int out) {
      first = new int[out];
      weights = new float[out][];
      double scale = (double) in / out;
      double support = Math.max(scale, 1.0);
      for (int i = 0; i < out; i++) {
        double center = (i + 0.5) * scale;
        int lo = Math.max(0, (int) Math.floor(center - support + 0.5));
        int hi = Math.min(in, (int) Math.floor(center + support + 0.5));
        double[] w = new double[Math.max(1, hi - lo)];
        double sum = 0;
        for (int j = lo; j < hi; j++) {
          double t = Math.abs((j + 0.5 - center) / support);
          w[j - lo] = t < 1 ? 1 - t : 0;
          sum += w[j - lo];
        }
        float[] f = new float[w.length];
        for (int j = 0; j < w.length; j++) {
          f[j] = sum > 0 ? (float) (w[j] / sum) : (j == 0 ? 1f : 0f);
        }
        first[i] = Math.min(lo, in - 1);
        weights[i] = f;
      }
    }
  }
}
