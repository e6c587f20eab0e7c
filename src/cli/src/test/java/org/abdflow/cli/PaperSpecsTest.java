package org.abdflow.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.abdflow.engine.Abdflow;
import org.abdflow.engine.spec.PipelineSpec;
import org.abdflow.engine.spec.SpecException;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The paper's protocol specs validate when their files are given, and name every missing one when not. */
public class PaperSpecsTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();
  static final Path PAPER = Path.of(System.getProperty("abdflow.root", "../.."), "pipelines", "paper");

  /** Stand-ins of the right shape: CSVs with their header, ImageNet's 1,000 wnid folders, a banana folder. */
  private static Map<String, String> placeholders() throws Exception {
    Path d = TMP.getRoot().toPath();
    Map<String, String> p = new LinkedHashMap<>();
    Files.writeString(d.resolve("RN50.safetensors"), "");
    Files.writeString(d.resolve("bpe.txt.gz"), "");
    p.put("weights", d.resolve("RN50.safetensors").toString());
    p.put("merges", d.resolve("bpe.txt.gz").toString());
    for (String csv : List.of("poisonCsv", "cleanCsv", "naturalCsv")) {
      Path f = d.resolve(csv + ".csv");
      Files.writeString(f, "image,caption\n");
      p.put(csv, f.toString());
    }
    Path val = d.resolve("val");
    for (int i = 0; i < 1000; i++) {
      Files.createDirectories(val.resolve(String.format("n%08d", i)));
    }
    p.put("imagenet", val.toString());
    Files.createDirectories(d.resolve("bananas/banana"));
    p.put("bananas", d.resolve("bananas").toString());
    return p;
  }

  @Test
  public void everyTableValidatesWithItsFilesGiven() throws Exception {
    Map<String, String> files = placeholders();
    for (String table : List.of("table1.yaml", "table2.yaml", "table3.yaml")) {
      PipelineSpec spec = Abdflow.validate(PAPER.resolve(table), List.of(), files);
      org.junit.Assert.assertTrue(table, spec.transform("eval-badclip").isPresent());
      assertEquals(table, files.get("imagenet"), spec.transform("imagenet").orElseThrow().config().get("root"));
    }
  }

  @Test
  public void tableOneNamesEveryMissingFileWithItsPlace() {
    SpecException e = assertThrows(SpecException.class, () -> Abdflow.validate(PAPER.resolve("table1.yaml"), List.of(), Map.of()));
    assertEquals(7, e.errors().size());
    for (String key : List.of("config.weights", "config.merges", "config.csv", "config.root")) {
      assertThat(e.getMessage(), containsString(key + ": no such file or folder: /data/"));
    }
    SpecException unknown = assertThrows(SpecException.class,
        () -> Abdflow.validate(PAPER.resolve("table1.yaml"), List.of(), Map.of("weight", "/x")));
    assertThat(unknown.getMessage(), containsString("--param weight is not a param of the spec"));
    assertThat(unknown.getMessage(), containsString("did you mean weights?"));
  }
}
