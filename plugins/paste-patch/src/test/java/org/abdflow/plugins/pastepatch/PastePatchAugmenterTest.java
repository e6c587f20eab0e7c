package org.abdflow.plugins.pastepatch;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.abdflow.api.ArtifactInputs;
import org.abdflow.api.image.Image;
import org.abdflow.model.adv.AdvPatch;
import org.abdflow.model.adv.AdvPatchOptions;
import org.abdflow.model.adv.PatchClamp;
import org.abdflow.model.adv.PatchMask;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** PastePatch puts the patch, and only the patch, into the image view. */
public class PastePatchAugmenterTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();
  private static final int R = 32;
  private static final List<Float> MEAN = List.of(0.5f, 0.5f, 0.5f);
  private static final List<Float> STD = List.of(0.25f, 0.25f, 0.25f);
  private final PastePatchAugmenter augmenter = new PastePatchAugmenter();

  /** A saved patch whose every value is +2 std: white (255) after de-normalising. */
  private static ArtifactInputs whitePatch() throws Exception {
    float[] p = new float[3 * R * R];
    java.util.Arrays.fill(p, 2f);
    AdvPatch patch = new AdvPatch(p, new PatchMask(R, 24, 24, 6), MEAN, STD,
        PatchClamp.of(AdvPatchOptions.ClampMode.CLIP, MEAN, STD), List.of());
    Path dir = TMP.newFolder().toPath();
    patch.save(dir);
    return new ArtifactInputs(Map.of(PastePatchAugmenter.PATCH_KIND, dir));
  }

  private PastePatchConfig config(Map<String, Object> values) {
    return augmenter.configure(augmenter.configSchema().parse(values));
  }

  private static Image grey(int side, int value) {
    byte[] px = new byte[side * side];
    java.util.Arrays.fill(px, (byte) value);
    return Image.wrap(side, side, 1, px);
  }

  /** Top-left corner of the changed pixels, after checking they form exactly one 6x6 square of {@code inside}. */
  private static String square(Image out, int background, int inside, boolean exact) {
    int changed = 0;
    int minY = R;
    int minX = R;
    for (int y = 0; y < R; y++) {
      for (int x = 0; x < R; x++) {
        for (int c = 0; c < 3; c++) {
          int v = out.get(y, x, c);
          if (v != background) {
            if (exact) {
              assertEquals(inside, v);
            }
            changed++;
            minY = Math.min(minY, y);
            minX = Math.min(minX, x);
          }
        }
      }
    }
    for (int y = minY; y < minY + 6; y++) {
      for (int x = minX; x < minX + 6; x++) {
        assertTrue("inside the square", y < R && x < R);
      }
    }
    if (exact) {
      assertEquals("exactly a 6x6 square, 3 channels", 6 * 6 * 3, changed);
    }
    return minY + "," + minX;
  }

  @Test
  public void pastesOnlyTheSquareAtARandomCornerPerRecord() throws Exception {
    ArtifactInputs patch = whitePatch();
    assertEquals(List.of("adv-patch"), augmenter.artifactKinds(config(Map.of())));
    Set<String> corners = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      Image out = augmenter.augmentImage(grey(R, 40), config(Map.of()), new SplittableRandom(i), patch);
      assertEquals(3, out.channels());
      corners.add(square(out, 40, 255, true));
    }
    assertTrue("random corners differ between records", corners.size() > 5);
  }

  @Test
  public void fixedPutsItWhereItWasOptimisedAndNoiseIsTheControl() throws Exception {
    ArtifactInputs patch = whitePatch();
    Image fixed = augmenter.augmentImage(grey(R, 40), config(Map.of("position", "fixed")), new SplittableRandom(1), patch);
    assertEquals("24,24", square(fixed, 40, 255, true));
    Image a = augmenter.augmentImage(grey(R, 40), config(Map.of("position", "fixed", "fill", "noise")), new SplittableRandom(1), patch);
    Image b = augmenter.augmentImage(grey(R, 40), config(Map.of("position", "fixed", "fill", "noise")), new SplittableRandom(2), patch);
    assertEquals("24,24", square(a, 40, -1, false));
    assertTrue("noise is drawn per record", !a.equals(b));
  }

  @Test
  public void anImageOfAnotherSizeIsRefusedWithTheSizes() throws Exception {
    ArtifactInputs patch = whitePatch();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> augmenter.augmentImage(grey(16, 0), config(Map.of()), new SplittableRandom(1), patch));
    assertThat(e.getMessage(), containsString("made for 32 px"));
    IllegalStateException none = assertThrows(IllegalStateException.class,
        () -> augmenter.augmentImage(grey(R, 0), config(Map.of()), new SplittableRandom(1), ArtifactInputs.none()));
    assertThat(none.getMessage(), containsString("adv-patch"));
  }
}
