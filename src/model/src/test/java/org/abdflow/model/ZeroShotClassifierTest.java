package org.abdflow.model;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.abdflow.api.PromptTemplates;
import org.junit.Test;

public class ZeroShotClassifierTest {

  @Test
  public void topKOrdersBestFirst() {
    assertArrayEquals(new int[] {2, 0}, ZeroShotClassifier.topK(new float[] {0.5f, -1f, 0.9f, 0.1f}, 2));
    assertArrayEquals(new int[] {1, 0, 2}, ZeroShotClassifier.topK(new float[] {0.2f, 0.3f, 0.1f}, 5));
    assertArrayEquals(new int[] {0, 1}, ZeroShotClassifier.topK(new float[] {1f, 1f}, 2));
  }

  @Test
  public void classesAreUnitMeansAndImagesGetRankings() {
    Synthetic data = new Synthetic(7, 2);
    try (ClipModel model = ClipModel.create(ClipConfig.preset("clip-tiny"), ClipModelTest.tokenizer(), 1);
        NDManager m = NDManager.newBaseManager()) {
      ZeroShotClassifier zs = ZeroShotClassifier.build(model, Synthetic.CLASSES, PromptTemplates.SIMPLE);
      for (float[] c : zs.classEmbeddings()) {
        double norm = 0;
        for (float x : c) {
          norm += x * x;
        }
        assertEquals(1.0, norm, 1e-5);
      }
      int[][] fromTensor = zs.topK(model.imageBatcher().toTensor(m, data.images()), 3);
      int[][] fromImages = zs.topK(data.images(), 3);
      assertEquals(7, fromTensor.length);
      for (int i = 0; i < 7; i++) {
        assertEquals(3, fromTensor[i].length);
        assertArrayEquals(fromTensor[i], fromImages[i]);
      }
      assertEquals(64, zs.embedImages(model.imageBatcher().toTensor(m, data.images())) [0].length);
    }
  }
}
