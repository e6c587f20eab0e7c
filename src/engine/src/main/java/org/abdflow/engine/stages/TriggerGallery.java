package org.abdflow.engine.stages;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.imageio.ImageIO;
import org.abdflow.api.image.Image;
import org.abdflow.schema.Sample;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Top;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * A picture of what an attack does at test time: the first test images by id, clean above and
 * triggered below, enlarged, as {@code artifacts/<eval>/gallery/<attack>.png}.
 */
final class TriggerGallery {
  static final String FOLDER = "gallery";
  private static final int CELL = 96;

  private TriggerGallery() {}

  /** Smallest ids first. */
  static final class ById implements Comparator<Sample>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(Sample a, Sample b) {
      return b.getId().compareTo(a.getId());
    }
  }

  static void write(String stage, String attack, PCollection<Sample> clean, PCollection<KV<String, Sample>> triggered, int n,
      RunLayout layout) {
    PCollectionView<List<Sample>> first =
        clean.apply(stage + "/GalleryClean-" + attack, Top.of(n, new ById())).apply(stage + "/GalleryCleanView-" + attack, View.asSingleton());
    triggered
        .apply(stage + "/GalleryValues-" + attack, MapElements.into(TypeDescriptor.of(Sample.class)).via(KV::getValue))
        .setCoder(Coders.sample())
        .apply(stage + "/GalleryTriggered-" + attack, Top.of(n, new ById()))
        .apply(stage + "/Gallery-" + attack, ParDo.of(new WriteFn(stage, attack, layout, first)).withSideInputs(first));
  }

  static final class WriteFn extends DoFn<List<Sample>, Void> {
    private final String stage;
    private final String attack;
    private final RunLayout layout;
    private final PCollectionView<List<Sample>> clean;

    WriteFn(String stage, String attack, RunLayout layout, PCollectionView<List<Sample>> clean) {
      this.stage = stage;
      this.attack = attack;
      this.layout = layout;
      this.clean = clean;
    }

    @ProcessElement
    public void process(ProcessContext c) throws IOException {
      List<Sample> top = new ArrayList<>(c.sideInput(clean));
      List<Sample> bottom = new ArrayList<>(c.element());
      top.sort(Comparator.comparing(Sample::getId));
      bottom.sort(Comparator.comparing(Sample::getId));
      BufferedImage sheet = new BufferedImage(CELL * top.size(), 2 * CELL, BufferedImage.TYPE_INT_RGB);
      for (int i = 0; i < top.size(); i++) {
        draw(sheet, Records.image(top.get(i)), i, 0);
        if (i < bottom.size()) {
          draw(sheet, Records.image(bottom.get(i)), i, 1);
        }
      }
      Path dir = Files.createDirectories(layout.stage(stage).resolve(FOLDER));
      Path file = dir.resolve(attack + ".png");
      Path tmp = dir.resolve(attack + ".png.tmp");
      ImageIO.write(sheet, "png", tmp.toFile());
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Nearest-neighbour enlargement into cell (col, row). */
    private static void draw(BufferedImage sheet, Image img, int col, int row) {
      for (int y = 0; y < CELL; y++) {
        for (int x = 0; x < CELL; x++) {
          int sy = y * img.height() / CELL;
          int sx = x * img.width() / CELL;
          int r = img.get(sy, sx, 0);
          int g = img.channels() == 3 ? img.get(sy, sx, 1) : r;
          int b = img.channels() == 3 ? img.get(sy, sx, 2) : r;
          sheet.setRGB(col * CELL + x, row * CELL + y, (r << 16) | (g << 8) | b);
        }
      }
    }
  }
}
