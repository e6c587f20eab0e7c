package org.abdflow.model;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.abdflow.api.image.Image;
import org.junit.Test;

public class ImageBatcherTest {
  private static final List<Float> ZERO = List.of(0f, 0f, 0f);
  private static final List<Float> ONE = List.of(1f, 1f, 1f);

  @Test
  public void greyIsReplicatedAndNormalised() {
    ImageBatcher b = new ImageBatcher(2, List.of(0.5f, 0.5f, 0.5f), List.of(0.25f, 0.5f, 1f));
    Image grey = Image.of(2, 2, 1, new byte[] {0, (byte) 255, (byte) 255, 0});
    float[] v = b.toArray(List.of(grey));
    assertArrayEquals(new float[] {-2, 2, 2, -2, -1, 1, 1, -1, -0.5f, 0.5f, 0.5f, -0.5f}, v, 1e-6f);
  }

  @Test
  public void rgbIsChannelsFirst() {
    ImageBatcher b = new ImageBatcher(1, ZERO, ONE);
    Image rgb = Image.of(1, 1, 3, new byte[] {(byte) 255, 0, 51});
    assertArrayEquals(new float[] {1f, 0f, 0.2f}, b.toArray(List.of(rgb)), 1e-6f);
  }

  @Test
  public void enlargingIsHalfPixelBilinear() {
    // torch.nn.functional.interpolate([[0, 1]] /255-scaled, size=4, mode='bilinear', align_corners=False)
    ImageBatcher b = new ImageBatcher(4, ZERO, ONE);
    Image ramp = Image.of(2, 2, 1, new byte[] {0, (byte) 255, 0, (byte) 255});
    float[] v = b.toArray(List.of(ramp));
    assertArrayEquals(new float[] {0f, 0.25f, 0.75f, 1f}, java.util.Arrays.copyOfRange(v, 0, 4), 1e-6f);
    assertArrayEquals(new float[] {0f, 0.25f, 0.75f, 1f}, java.util.Arrays.copyOfRange(v, 12, 16), 1e-6f);
  }

  @Test
  public void shrinkingAveragesAndConstantsStayConstant() {
    ImageBatcher b = new ImageBatcher(2, ZERO, ONE);
    byte[] px = new byte[16];
    for (int i = 0; i < 16; i++) {
      px[i] = (byte) ((i % 4) < 2 ? 0 : 255);
    }
    float[] v = b.toArray(List.of(Image.of(4, 4, 1, px)));
    // PIL's bilinear reduction by 2 is the 4-tap filter (1, 3, 3, 1) / 8, renormalised at the border
    assertArrayEquals(new float[] {1 / 7f, 6 / 7f, 1 / 7f, 6 / 7f}, java.util.Arrays.copyOfRange(v, 0, 4), 1e-6f);
    byte[] flat = new byte[28 * 28];
    java.util.Arrays.fill(flat, (byte) 100);
    float[] up = new ImageBatcher(32, ZERO, ONE).toArray(List.of(Image.of(28, 28, 1, flat)));
    for (float f : up) {
      assertEquals(100 / 255f, f, 1e-6f);
    }
  }

  @Test
  public void oneArrayPerBatch() {
    ImageBatcher b = new ImageBatcher(ClipConfig.preset("clip-tiny"));
    Image img = Image.of(28, 28, 1, new byte[28 * 28]);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray t = b.toTensor(m, List.of(img, img, img));
      assertEquals(new Shape(3, 3, 32, 32), t.getShape());
      assertEquals(-0.2860f / 0.3530f, t.getFloat(2, 1, 5, 7), 1e-6f);
    }
  }

  @Test
  public void clipPreprocessingResizesTheShorterSideBicubicAndCropsTheCentre() {
    byte[] px = new byte[45 * 61 * 3];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) (i * 7919 % 251);
    }
    org.abdflow.api.image.Image img = org.abdflow.api.image.Image.wrap(45, 61, 3, px);
    ImageBatcher clip = new ImageBatcher(ClipConfig.preset("ViT-B/32").toBuilder().setImageResolution(32).build());
    float[] got = clip.toArray(java.util.List.of(img));
    org.abdflow.api.image.Image expected = org.abdflow.api.image.Resize.clip(img, 32);
    java.util.List<Float> mean = ClipConfig.preset("RN50").imageMean();
    java.util.List<Float> std = ClipConfig.preset("RN50").imageStd();
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < 32; y++) {
        for (int x = 0; x < 32; x++) {
          float v = (expected.get(y, x, c) / 255f - mean.get(c)) / std.get(c);
          org.junit.Assert.assertEquals(v, got[(c * 32 + y) * 32 + x], 1e-6f);
        }
      }
    }
    org.junit.Assert.assertEquals(ClipConfig.Preprocess.STRETCH, ClipConfig.preset("clip-tiny").preprocess());
    org.junit.Assert.assertEquals(ClipConfig.Preprocess.CLIP, ClipConfig.preset("RN50").preprocess());
  }

  @Test
  public void aBatchOfMixedSizesGivesEachImageItsOwnValues() {
    // the batch's work arrays are sized by its largest image and reused for the smaller ones
    ImageBatcher b = new ImageBatcher(4, List.of(0.5f, 0.4f, 0.3f), List.of(0.2f, 0.3f, 0.4f));
    byte[] big = new byte[9 * 7 * 3];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 37 % 256);
    }
    byte[] exact = new byte[4 * 4];
    for (int i = 0; i < exact.length; i++) {
      exact[i] = (byte) (255 - i * 11);
    }
    Image large = Image.of(9, 7, 3, big);
    Image small = Image.of(4, 4, 1, exact);
    float[] alone = new float[2 * 48];
    System.arraycopy(b.toArray(List.of(large)), 0, alone, 0, 48);
    System.arraycopy(b.toArray(List.of(small)), 0, alone, 48, 48);
    assertArrayEquals(alone, b.toArray(List.of(large, small)), 0f);
    try (NDManager m = NDManager.newBaseManager()) {
      assertArrayEquals(alone, b.toTensor(m, List.of(large, small)).toFloatArray(), 0f);
    }
  }
}
