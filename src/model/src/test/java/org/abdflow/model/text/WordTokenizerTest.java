package org.abdflow.model.text;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class WordTokenizerTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private final WordTokenizer tok =
      WordTokenizer.build(List.of("A photo of a T-shirt/top.", "a dark photo of the bag."), 8);

  @Test
  public void idsArePadUnknownSortedWordsStartEnd() {
    assertThat(tok.words(), contains("-", ".", "/", "a", "bag", "dark", "of", "photo", "shirt", "t", "the", "top"));
    assertEquals(14, tok.startToken());
    assertEquals(15, tok.endToken());
    assertEquals(16, tok.vocabSize());
    // ids of the same corpus in another order are the same
    WordTokenizer other = WordTokenizer.build(List.of("a dark photo of the bag.", "A photo of a T-shirt/top."), 8);
    assertEquals(tok, other);
  }

  @Test
  public void encodesWithStartEndAndPadding() {
    int[] ids = tok.encode("a bag.");
    assertArrayEquals(new int[] {14, 5, 6, 3, 15, 0, 0, 0}, ids);
    assertEquals("a bag .", tok.decode(ids));
    assertEquals(1, tok.encode("a zebra")[2]); // unknown word
  }

  @Test
  public void truncationKeepsTheEndToken() {
    int[] ids = tok.encode("a photo of a photo of a photo of a bag");
    assertEquals(8, ids.length);
    assertEquals(tok.startToken(), ids[0]);
    assertEquals(tok.endToken(), ids[7]);
    assertEquals("a photo of a photo of", tok.decode(ids));
  }

  @Test
  public void saveLoadRoundTrip() throws Exception {
    Path f = tmp.getRoot().toPath().resolve("tok.json");
    tok.save(f);
    Tokenizer back = Tokenizer.load(f);
    assertEquals(tok, back);
    assertArrayEquals(tok.encode("a dark T-shirt"), back.encode("a dark T-shirt"));
  }
}
