package org.abdflow.engine.stages;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.abdflow.model.adv.AdvPatch;
import org.abdflow.model.adv.AdvPatchOptions;
import org.abdflow.model.adv.PatchClamp;
import org.abdflow.model.adv.PatchMask;
import org.abdflow.schema.Sample;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** PastePatch puts the patch, and only the patch, into each record's image view. */
public class PastePatchStageTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static final TupleTag<Sample> MAIN = new TupleTag<Sample>() {};
  private static final int R = 32;
  private static final List<Float> MEAN = List.of(0.5f, 0.5f, 0.5f);
  private static final List<Float> STD = List.of(0.25f, 0.25f, 0.25f);

  /** A patch whose every value is +2 std: white (255) after de-normalising. */
  private static Path whitePatch() throws Exception {
    float[] p = new float[3 * R * R];
    java.util.Arrays.fill(p, 2f);
    PatchMask mask = new PatchMask(R, 24, 24, 6);
    AdvPatch patch = new AdvPatch(p, mask, MEAN, STD, PatchClamp.of(AdvPatchOptions.ClampMode.CLIP, MEAN, STD), List.of());
    Path dir = TMP.newFolder().toPath();
    patch.save(dir);
    return dir;
  }

  private static Sample grey(String id, int value) {
    byte[] px = new byte[R * R];
    java.util.Arrays.fill(px, (byte) value);
    return Sample.newBuilder().setId(id).setHeight(R).setWidth(R).setChannels(1).setPixels(ByteBuffer.wrap(px))
        .setCaption("a photo of a coat.").build();
  }

  @Test
  public void everyRecordGetsTheSquareAndNothingElseChanges() throws Exception {
    Path patch = whitePatch();
    List<Sample> in = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      in.add(grey("r" + i, 40));
    }
    PCollectionView<String> view = pipeline.apply("Path", Create.of(patch.toString())).apply(View.asSingleton());
    PCollectionTuple out =
        pipeline.apply(Create.of(in).withCoder(Coders.sample()))
            .apply(ParDo.of(new PastePatchStage.PasteFn("adv", 3, true, false, view)).withSideInputs(view)
                .withOutputTags(MAIN, TupleTagList.of(DeadLetters.TAG)));
    PCollection<Sample> patched = out.get(MAIN).setCoder(Coders.sample());
    out.get(DeadLetters.TAG).setCoder(Coders.deadLetter());
    PAssert.that(patched).satisfies(records -> {
      java.util.Set<String> corners = new java.util.HashSet<>();
      int n = 0;
      for (Sample s : records) {
        n++;
        assertEquals(3, (int) s.getChannels());
        byte[] image = Records.bytes(s.getPixels());
        byte[] aug = Records.bytes(s.getAugPixels());
        for (byte b : image) {
          assertEquals("the image itself is the grey original, replicated", 40, b & 0xff);
        }
        int changed = 0;
        int minY = R;
        int minX = R;
        for (int y = 0; y < R; y++) {
          for (int x = 0; x < R; x++) {
            for (int c = 0; c < 3; c++) {
              int v = aug[(y * R + x) * 3 + c] & 0xff;
              if (v != 40) {
                assertEquals(255, v);
                changed++;
                minY = Math.min(minY, y);
                minX = Math.min(minX, x);
              }
            }
          }
        }
        assertEquals("exactly a 6x6 square, 3 channels", 6 * 6 * 3, changed);
        corners.add(minY + "," + minX);
        assertEquals(List.of("adv"), s.getAugmenters());
      }
      assertEquals(20, n);
      assertTrue("random corners differ between records", corners.size() > 5);
      return null;
    });
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void aRecordOfTheWrongSizeIsADeadLetter() throws Exception {
    Path patch = whitePatch();
    byte[] px = new byte[16 * 16];
    Sample small = Sample.newBuilder().setId("small").setHeight(16).setWidth(16).setChannels(1)
        .setPixels(ByteBuffer.wrap(px)).setCaption("x").build();
    PCollectionView<String> view = pipeline.apply("Path", Create.of(patch.toString())).apply(View.asSingleton());
    PCollectionTuple out =
        pipeline.apply(Create.of(List.of(small, grey("ok", 10))).withCoder(Coders.sample()))
            .apply(ParDo.of(new PastePatchStage.PasteFn("adv", 3, false, false, view)).withSideInputs(view)
                .withOutputTags(MAIN, TupleTagList.of(DeadLetters.TAG)));
    out.get(MAIN).setCoder(Coders.sample());
    PAssert.that(out.get(DeadLetters.TAG).setCoder(Coders.deadLetter())).satisfies(letters -> {
      int n = 0;
      for (var d : letters) {
        n++;
        assertEquals("small", d.getRecordId());
        assertTrue(d.getError().contains("made for 32 px"));
        assertNotEquals(null, d.getPayload());
      }
      assertEquals(1, n);
      return null;
    });
    pipeline.run().waitUntilFinish();
  }
}
