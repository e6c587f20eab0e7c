package org.abdflow.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.abdflow.engine.Abdflow;
import org.abdflow.engine.RunRequest;
import org.abdflow.engine.report.RunReport;
import org.abdflow.schema.DeadLetter;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Records that fail mid-run go to the Avro dead-letter output with their original payload, are
 * counted in the report, and the run still finishes on the good ones.
 */
public class DeadLetterEndToEndTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  @Test
  public void badRowsAreDeadLetteredCountedAndTheRunFinishes() throws Exception {
    Path dir = TMP.getRoot().toPath();
    Path img = Files.createDirectories(dir.resolve("pairs/img"));
    StringBuilder csv = new StringBuilder("image,caption\n");
    for (int i = 0; i < 6; i++) {
      BufferedImage b = new BufferedImage(12, 12, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < 12; y++) {
        for (int x = 0; x < 12; x++) {
          b.setRGB(x, y, (i % 2 == 0) == (x < 6) ? 0xF0F0F0 : 0x101010);
        }
      }
      ImageIO.write(b, "png", img.resolve("ok" + i + ".png").toFile());
      csv.append("img/ok").append(i).append(".png,a photo of a ").append(i % 2 == 0 ? "left" : "right").append(" half.\n");
    }
    byte[] truncated = java.util.Arrays.copyOf(Files.readAllBytes(img.resolve("ok0.png")), 30);
    Files.write(img.resolve("truncated.png"), truncated);
    csv.append("img/truncated.png,a photo of a left half.\n"); // row 7
    csv.append("img/ok1.png,   \n"); // row 8: empty caption
    Files.writeString(dir.resolve("pairs/pairs.csv"), csv.toString());
    Path spec = dir.resolve("spec.yaml");
    Files.writeString(spec,
        """
        pipeline:
          seed: 3
          transforms:
            - {type: PairsCsvSource, name: pairs, config: {csv: pairs/pairs.csv, resize: 32}}
            - {type: Train, name: clean, input: pairs, config: {epochs: 1, batchSize: 3, warmupSteps: 0}}
        """);

    RunReport report = Abdflow.run(RunRequest.builder().setSpec(spec).setOutput(dir.resolve("out")).build());

    assertEquals(2, report.deadLetters());
    RunReport.Stage pairs = report.stages().stream().filter(s -> s.name().equals("pairs")).findFirst().orElseThrow();
    assertEquals(6, pairs.recordsOut());
    assertEquals(2, pairs.deadLetters());
    assertEquals(6, report.training().get("clean").records());

    List<DeadLetter> letters = new ArrayList<>();
    try (var files = Files.list(dir.resolve("out/dead-letters"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".avro")).toList()) {
        try (DataFileReader<DeadLetter> r = new DataFileReader<>(new File(f.toString()), new SpecificDatumReader<>(DeadLetter.class))) {
          r.forEach(letters::add);
        }
      }
    }
    assertEquals(2, letters.size());
    List<String> payloads = new ArrayList<>();
    for (DeadLetter d : letters) {
      assertEquals("pairs", d.getStage());
      assertThat(d.getLocation(), containsString("pairs.csv: row "));
      ByteBuffer p = d.getPayload();
      byte[] bytes = new byte[p.remaining()];
      p.get(bytes);
      payloads.add(new String(bytes, StandardCharsets.UTF_8));
      assertThat(d.getError().isBlank(), org.hamcrest.Matchers.is(false));
    }
    assertThat(payloads, containsInAnyOrder("img/truncated.png,a photo of a left half.", "img/ok1.png,   "));
  }
}
