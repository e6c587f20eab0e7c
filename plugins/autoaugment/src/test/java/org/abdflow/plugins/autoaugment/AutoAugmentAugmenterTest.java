package org.abdflow.plugins.autoaugment;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertThrows;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.abdflow.api.config.ConfigException;
import org.abdflow.api.config.ConfigProblem;
import org.abdflow.api.image.Image;
import org.abdflow.plugins.autoaugment.Policies.Step;
import org.abdflow.plugins.autoaugment.Policies.SubPolicy;
import org.junit.Test;

public class AutoAugmentAugmenterTest {
  private final AutoAugmentAugmenter augmenter = new AutoAugmentAugmenter();

  private AutoAugmentConfig config(Map<String, ?> raw) {
    return augmenter.configure(augmenter.configSchema().parse(raw));
  }

  /** A smooth colour gradient with a bright square: every op has something to change. */
  private static Image picture(int h, int w, int c) {
    byte[] p = new byte[h * w * c];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int k = 0; k < c; k++) {
          int v = 30 + (y * 150) / h + (x * 60) / w + 17 * k;
          if (y > h / 3 && y < h / 2 && x > w / 3 && x < w / 2) {
            v = 240 - 20 * k;
          }
          p[(y * w + x) * c + k] = (byte) Math.min(255, v);
        }
      }
    }
    return Image.wrap(h, w, c, p);
  }

  @Test
  public void declaresItsTypeAndDefaults() {
    assertThat(augmenter.type(), is("AutoAugment"));
    AutoAugmentConfig c = config(Map.of());
    assertThat(c.policy(), is("imagenet"));
    assertThat(c.probability(), is(1.0));
    assertThat(config(Map.of("policy", "SVHN")).policy(), is("svhn"));
  }

  @Test
  public void imagenetPolicyIsTorchvisionsTable() {
    List<SubPolicy> table = Policies.of("imagenet");
    assertThat(table.size(), is(25));
    for (SubPolicy sp : table) {
      assertThat(sp.steps().size(), is(2));
      for (Step s : sp.steps()) {
        assertThat(s.probability() >= 0 && s.probability() <= 1, is(true));
        boolean hasMagnitude = !EnumSet.of(Op.AUTO_CONTRAST, Op.EQUALIZE, Op.INVERT).contains(s.op());
        assertThat(s.op() + " bin", s.bin() != Step.NONE, is(hasMagnitude));
        assertThat(s.bin() < Op.BINS, is(true));
      }
    }
    assertEquals(new SubPolicy(new Step(Op.POSTERIZE, 0.4, 8), new Step(Op.ROTATE, 0.6, 9)), table.get(0));
    assertEquals(new SubPolicy(new Step(Op.SHEAR_X, 0.6, 5), new Step(Op.EQUALIZE, 1.0, Step.NONE)), table.get(18));
    assertEquals(new SubPolicy(new Step(Op.EQUALIZE, 0.8, Step.NONE), new Step(Op.EQUALIZE, 0.6, Step.NONE)), table.get(24));
    int equalize = 0;
    for (SubPolicy sp : table) {
      for (Step s : sp.steps()) {
        equalize += s.op() == Op.EQUALIZE ? 1 : 0;
      }
    }
    assertThat(equalize, is(17));
    assertThat(Policies.of("cifar10").size(), is(25));
    assertThat(Policies.of("svhn").size(), is(25));
  }

  @Test
  public void sameSeedGivesTheSameImage() {
    AutoAugmentConfig cfg = config(Map.of());
    Image img = picture(32, 32, 3);
    for (long seed = 0; seed < 40; seed++) {
      Image a = augmenter.augmentImage(img, cfg, new SplittableRandom(seed));
      Image b = augmenter.augmentImage(img, cfg, new SplittableRandom(seed));
      assertEquals("seed " + seed, a, b);
    }
  }

  @Test
  public void differentSeedsGiveDifferentImages() {
    AutoAugmentConfig cfg = config(Map.of());
    Image img = picture(32, 32, 3);
    Set<Image> distinct = new HashSet<>();
    int changed = 0;
    for (long seed = 0; seed < 60; seed++) {
      Image out = augmenter.augmentImage(img, cfg, new SplittableRandom(seed));
      distinct.add(out);
      changed += out.equals(img) ? 0 : 1;
    }
    assertThat(distinct.size(), greaterThan(20));
    assertThat(changed, greaterThan(40));
  }

  @Test
  public void probabilityZeroReturnsTheInputUnchanged() {
    AutoAugmentConfig cfg = config(Map.of("probability", 0));
    Image img = picture(16, 16, 3);
    for (long seed = 0; seed < 30; seed++) {
      assertThat(augmenter.augmentImage(img, cfg, new SplittableRandom(seed)), sameInstance(img));
    }
  }

  @Test
  public void probabilityHalfAugmentsAboutHalfAndStaysDeterministic() {
    AutoAugmentConfig cfg = config(Map.of("probability", 0.5));
    Image img = picture(16, 16, 3);
    int untouched = 0;
    for (long seed = 0; seed < 200; seed++) {
      Image out = augmenter.augmentImage(img, cfg, new SplittableRandom(seed));
      assertEquals(out, augmenter.augmentImage(img, cfg, new SplittableRandom(seed)));
      untouched += out == img ? 1 : 0;
    }
    // half skip the augmentation and some more draw no step that fires
    assertThat(untouched > 80 && untouched < 170, is(true));
  }

  @Test
  public void greyAndRgbKeepTheirShapeUnderEveryPolicy() {
    Image[] images = {picture(32, 32, 1), picture(24, 40, 3), picture(2, 3, 3), picture(1, 1, 1)};
    for (String policy : Policies.NAMES) {
      AutoAugmentConfig cfg = config(Map.of("policy", policy));
      for (Image img : images) {
        for (long seed = 0; seed < 60; seed++) {
          Image out = augmenter.augmentImage(img, cfg, new SplittableRandom(seed));
          assertThat(policy + " " + img, out.height(), is(img.height()));
          assertThat(out.width(), is(img.width()));
          assertThat(out.channels(), is(img.channels()));
        }
      }
    }
  }

  @Test
  public void everyOpRunsOnGreyAndRgbAtEveryBinAndSign() {
    for (Image img : new Image[] {picture(8, 5, 1), picture(5, 8, 3), picture(1, 2, 3)}) {
      byte[] src = img.pixels();
      byte[] dst = new byte[src.length];
      for (Op op : Op.values()) {
        for (int bin = 0; bin < Op.BINS; bin++) {
          for (int sign : op.signed() ? new int[] {1, -1} : new int[] {1}) {
            op.apply(src, dst, img.height(), img.width(), img.channels(), sign * op.magnitude(bin, img.height(), img.width()));
          }
        }
      }
    }
  }

  @Test
  public void aStepFiresWithItsProbabilityAndSignedMagnitudesFlip() {
    Image img = picture(12, 12, 1);
    byte[] plus = new byte[12 * 12];
    byte[] minus = new byte[12 * 12];
    AffineOps.rotate(img.pixels(), plus, 12, 12, 1, 30.0);
    AffineOps.rotate(img.pixels(), minus, 12, 12, 1, -30.0);
    Image rotatedPlus = Image.wrap(12, 12, 1, plus);
    Image rotatedMinus = Image.wrap(12, 12, 1, minus);
    List<SubPolicy> rotateOnly =
        List.of(new SubPolicy(new Step(Op.ROTATE, 1.0, 9), new Step(Op.INVERT, 0.0, Step.NONE)));
    int nPlus = 0;
    int nMinus = 0;
    for (long seed = 0; seed < 100; seed++) {
      Image out = AutoAugment.apply(img, rotateOnly, new SplittableRandom(seed));
      nPlus += out.equals(rotatedPlus) ? 1 : 0;
      nMinus += out.equals(rotatedMinus) ? 1 : 0;
    }
    assertThat(nPlus + nMinus, is(100));
    assertThat(nPlus > 25 && nMinus > 25, is(true));

    List<SubPolicy> twice =
        List.of(new SubPolicy(new Step(Op.INVERT, 1.0, Step.NONE), new Step(Op.INVERT, 1.0, Step.NONE)));
    Image back = AutoAugment.apply(img, twice, new SplittableRandom(1));
    assertEquals(img, back);
    assertNotSame(img, back);

    List<SubPolicy> never =
        List.of(new SubPolicy(new Step(Op.INVERT, 0.0, Step.NONE), new Step(Op.EQUALIZE, 0.0, Step.NONE)));
    assertThat(AutoAugment.apply(img, never, new SplittableRandom(2)), sameInstance(img));
  }

  @Test
  public void captionsPassUnchanged() {
    String caption = "a photo of a bag.";
    assertThat(augmenter.augmentCaption(caption, config(Map.of()), new SplittableRandom(1)), sameInstance(caption));
  }

  @Test
  public void badConfigNamesTheKey() {
    ConfigException e = assertThrows(ConfigException.class, () -> config(Map.of("probability", 1.5)));
    assertThat(e.key(), is("probability"));
    e = assertThrows(ConfigException.class, () -> config(Map.of("probability", "often")));
    assertThat(e.key(), is("probability"));
    e = assertThrows(ConfigException.class, () -> config(Map.of("policy", "coco")));
    assertThat(e.key(), is("policy"));
    assertThat(e.getMessage(), containsString("imagenet"));
    List<ConfigProblem> problems = augmenter.configSchema().validate(Map.of("magnitude", 9));
    assertThat(problems.size(), is(1));
    assertThat(problems.get(0).key(), is("magnitude"));
    // configs built in code are checked too
    e = assertThrows(ConfigException.class, () -> AutoAugmentConfig.builder().setPolicy("coco").setProbability(1).build());
    assertThat(e.key(), is("policy"));
    e = assertThrows(ConfigException.class, () -> AutoAugmentConfig.builder().setPolicy("imagenet").setProbability(-0.1).build());
    assertThat(e.key(), is("probability"));
  }
}
