package org.abdflow.model.text;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** CLIP's BPE against the ids OpenAI's tokenizer gives (shared/clip/tokenizer_cases.json). */
public class BpeTokenizerTest {
  static final Path CLIP = Paths.get(System.getProperty("abdflow.root", "../.."), "..", "shared", "clip").normalize();
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();
  private static BpeTokenizer tokenizer;
  private static JsonNode cases;

  @BeforeClass
  public static void load() throws IOException {
    assumeTrue("CLIP reference data at " + CLIP, Files.isDirectory(CLIP));
    tokenizer = BpeTokenizer.openAi(CLIP.resolve("bpe_simple_vocab_16e6.txt.gz"), 77);
    cases = new ObjectMapper().readTree(CLIP.resolve("tokenizer_cases.json").toFile());
  }

  @Test
  public void givesOpenAisIdsAndContextsForEveryCase() {
    assertEquals(49408, tokenizer.vocabSize());
    assertEquals(49406, tokenizer.startToken());
    assertEquals(49407, tokenizer.endToken());
    assertEquals(22, cases.size());
    for (JsonNode c : cases) {
      String text = c.get("text").asText();
      assertArrayEquals(text, ints(c.get("ids")), tokenizer.ids(text));
      assertArrayEquals(text, ints(c.get("context77")), tokenizer.encode(text));
      assertEquals(text, c.get("decoded").asText(), tokenizer.decode(tokenizer.ids(text)));
    }
  }

  @Test
  public void aLongTextIsCutKeepingTheEndTokenLast() {
    int[] ids = tokenizer.encode("a ".repeat(200));
    assertEquals(77, ids.length);
    assertEquals(49406, ids[0]);
    assertEquals(49407, ids[76]);
    assertEquals(320, ids[75]);
  }

  @Test
  public void huggingFaceFilesGiveTheSameTokenizerAndSavingRoundTrips() throws IOException {
    // Hugging Face's layout of the same vocabulary: vocab.json (token -> id) and merges.txt
    Path dir = TMP.newFolder("hf").toPath();
    Path saved = dir.resolve("tokenizer.json");
    tokenizer.save(saved);
    JsonNode json = new ObjectMapper().readTree(saved.toFile());
    com.fasterxml.jackson.databind.node.ObjectNode vocab = new ObjectMapper().createObjectNode();
    for (int i = 0; i < json.get("vocab").size(); i++) {
      vocab.put(json.get("vocab").get(i).asText(), i);
    }
    Files.writeString(dir.resolve("vocab.json"), vocab.toString());
    List<String> merges = new ArrayList<>(List.of("#version: 0.2"));
    json.get("merges").forEach(m -> merges.add(m.asText()));
    Files.write(dir.resolve("merges.txt"), merges);
    BpeTokenizer hf = BpeTokenizer.huggingFace(dir.resolve("vocab.json"), dir.resolve("merges.txt"), 77);
    assertEquals(tokenizer, hf);
    assertEquals(tokenizer, Tokenizer.load(saved));
    for (JsonNode c : cases) {
      assertArrayEquals(ints(c.get("context77")), hf.encode(c.get("text").asText()));
    }
  }

  @Test
  public void brokenFilesAreRefusedNamingTheLine() throws IOException {
    Path bad = TMP.newFile("merges.txt").toPath();
    Files.write(bad, List.of("#version: 0.2", "a b", "three parts here"));
    Path vocab = TMP.newFile("vocab.json").toPath();
    Files.writeString(vocab, "{\"a\": 0, \"<|startoftext|>\": 1, \"<|endoftext|>\": 2}");
    IOException e = assertThrows(IOException.class, () -> BpeTokenizer.huggingFace(vocab, bad, 77));
    assertTrue(e.getMessage(), e.getMessage().contains("merges.txt:3"));
    Files.writeString(vocab, "{\"a\": 0, \"<|startoftext|>\": 1, \"<|endoftext|>\": 1}");
    Files.write(bad, List.of("#version: 0.2"));
    e = assertThrows(IOException.class, () -> BpeTokenizer.huggingFace(vocab, bad, 77));
    assertTrue(e.getMessage(), e.getMessage().contains("not a unique id"));
  }

  private static int[] ints(JsonNode array) {
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asInt();
    }
    return out;
  }
}
