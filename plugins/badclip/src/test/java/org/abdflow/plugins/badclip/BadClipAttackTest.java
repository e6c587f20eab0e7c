package org.abdflow.plugins.badclip;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

public class BadClipAttackTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();
  private static final List<Float> MEAN = List.of(0.5f, 0.5f, 0.5f);
  private static final List<Float> STD = List.of(0.25f, 0.25f, 0.25f);
  private final BadClipAttack attack = new BadClipAttack();

  @Test
  public void pastesThePatchAtTheCentreOfEveryImageAndNothingElse() throws Exception {
    float[] p = new float[3 * 32 * 32];
    java.util.Arrays.fill(p, 2f); // +2 std: white
    PatchMask centre = new PatchMask(32, 13, 13, 6);
    Path dir = TMP.newFolder().toPath();
    new AdvPatch(p, centre, MEAN, STD, PatchClamp.of(AdvPatchOptions.ClampMode.CLIP, MEAN, STD), List.of()).save(dir);
    ArtifactInputs inputs = new ArtifactInputs(Map.of(BadClipPatchGenerator.KIND, dir));
    BadClipConfig config = attack.configure(attack.configSchema().parse(Map.of("target", "bag")));
    assertEquals(List.of("badclip-patch"), attack.artifactKinds(config));
    byte[] grey = new byte[32 * 32];
    java.util.Arrays.fill(grey, (byte) 40);
    Image a = attack.trigger(Image.wrap(32, 32, 1, grey), config, new SplittableRandom(1), inputs);
    Image b = attack.trigger(Image.wrap(32, 32, 1, grey), config, new SplittableRandom(2), inputs);
    assertEquals("the same patch, the same place, for every image", a, b);
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        boolean inside = y >= 13 && y < 19 && x >= 13 && x < 19;
        for (int c = 0; c < 3; c++) {
          assertEquals(inside ? 255 : 40, a.get(y, x, c));
        }
      }
    }
    assertTrue(attack.poisonCaption("a shoe", config, new SplittableRandom(1)).contains("bag"));
  }
}
