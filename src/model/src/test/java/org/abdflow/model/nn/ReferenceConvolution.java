package org.abdflow.model.nn;

/**
 * Direct and transposed convolution and their gradients in double precision, written out in
 * Java: the reference that libtorch's kernels are checked against in tests.
 */
public final class ReferenceConvolution {

  public final double[] y;
  public final double[] gx;
  public final double[] gw;
  public final double[] gb;

  private ReferenceConvolution(int yLength, int xLength, int wLength, int cout) {
    y = new double[yLength];
    gx = new double[xLength];
    gw = new double[wLength];
    gb = new double[cout];
  }

  /** y[n, co, o] += x[n, ci, i] · w[co, ci, t] with o·s − p + t = i. */
  public static ReferenceConvolution conv(int batch, int cin, int cout, int k, int s, int p, int size, int out, float[] x, float[] w,
      float[] b, float[] go) {
    ReferenceConvolution r = new ReferenceConvolution(batch * cout * out * out, x.length, w.length, cout);
    for (int n = 0; n < batch; n++) {
      for (int co = 0; co < cout; co++) {
        for (int oy = 0; oy < out; oy++) {
          for (int ox = 0; ox < out; ox++) {
            int yi = ((n * cout + co) * out + oy) * out + ox;
            double acc = b[co];
            r.gb[co] += go[yi];
            for (int ci = 0; ci < cin; ci++) {
              for (int ky = 0; ky < k; ky++) {
                int iy = oy * s - p + ky;
                if (iy < 0 || iy >= size) {
                  continue;
                }
                for (int kx = 0; kx < k; kx++) {
                  int ix = ox * s - p + kx;
                  if (ix < 0 || ix >= size) {
                    continue;
                  }
                  int xi = ((n * cin + ci) * size + iy) * size + ix;
                  int wi = ((co * cin + ci) * k + ky) * k + kx;
                  acc += x[xi] * (double) w[wi];
                  r.gx[xi] += go[yi] * (double) w[wi];
                  r.gw[wi] += go[yi] * (double) x[xi];
                }
              }
            }
            r.y[yi] = acc;
          }
        }
      }
    }
    return r;
  }

  /** y[n, co, i·s − p + t] += x[n, ci, i] · w[ci, co, t], the definition of torch's transposed convolution. */
  public static ReferenceConvolution transposed(int batch, int cin, int cout, int k, int s, int p, int size, int out, float[] x,
      float[] w, float[] b, float[] go) {
    ReferenceConvolution r = new ReferenceConvolution(batch * cout * out * out, x.length, w.length, cout);
    for (int n = 0; n < batch; n++) {
      for (int co = 0; co < cout; co++) {
        int base = (n * cout + co) * out * out;
        for (int i = 0; i < out * out; i++) {
          r.y[base + i] = b[co];
          r.gb[co] += go[base + i];
        }
      }
      for (int ci = 0; ci < cin; ci++) {
        for (int iy = 0; iy < size; iy++) {
          for (int ix = 0; ix < size; ix++) {
            int xi = ((n * cin + ci) * size + iy) * size + ix;
            for (int co = 0; co < cout; co++) {
              for (int ky = 0; ky < k; ky++) {
                int oy = iy * s - p + ky;
                if (oy < 0 || oy >= out) {
                  continue;
                }
                for (int kx = 0; kx < k; kx++) {
                  int ox = ix * s - p + kx;
                  if (ox < 0 || ox >= out) {
                    continue;
                  }
                  int yi = ((n * cout + co) * out + oy) * out + ox;
                  int wi = ((ci * cout + co) * k + ky) * k + kx;
                  r.y[yi] += x[xi] * (double) w[wi];
                  r.gx[xi] += go[yi] * (double) w[wi];
                  r.gw[wi] += go[yi] * (double) x[xi];
                }
              }
            }
          }
        }
      }
    }
    return r;
  }

  /** The values as floats, for assertArrayEquals. */
  public static float[] floats(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }
}
