package org.abdflow.plugins.eda;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.abdflow.api.config.ConfigException;
import org.abdflow.api.config.ConfigProblem;
import org.abdflow.plugins.eda.Eda.Operation;
import org.junit.Test;

public class EdaAugmenterTest {
  private final EdaAugmenter augmenter = new EdaAugmenter();

  private static final List<String> CAPTIONS = List.of(
      "A dog runs across the green field with a red ball in its mouth.",
      "Two children are playing football on the beach at sunset",
      "a photo of a car parked next to an old brick house",
      "The man is riding a bicycle down a busy city street.",
      "a bowl of fresh fruit on a wooden kitchen table",
      "Woman in a blue dress holding an umbrella in the rain",
      "A large airplane flying over snowy mountains under a clear sky.",
      "black and white cat sleeping on a soft couch near the window",
      "People walking through a crowded market selling vegetables and spices",
      "an old train crossing a stone bridge over a river in autumn");

  private EdaConfig config(Map<String, ?> raw) {
    return augmenter.configure(augmenter.configSchema().parse(raw));
  }

  private EdaConfig only(String op) {
    return config(Map.of("operations", List.of(op)));
  }

  private static List<String> words(String s) {
    return Eda.words(Eda.normalise(s));
  }

  private static List<String> sorted(List<String> l) {
    List<String> c = new ArrayList<>(l);
    Collections.sort(c);
    return c;
  }

  @Test
  public void normalisesAsTheReference() {
    assertEquals("a dogs ball", Eda.normalise("A Dog's Ball"));
    assertEquals("its well known and fun", Eda.normalise("It\u2019s well-known\tand\nfun"));
    // Punctuation and digits become spaces; runs collapse; a trailing space stays, as there.
    assertEquals("hello world ", Eda.normalise("Hello, World! 123"));
    assertEquals("leading", Eda.normalise("   leading"));
    assertEquals("caf ol ", Eda.normalise("Caf\u00e9 OL\u00c9"));
    assertEquals(List.of("hello", "world"), Eda.words("hello world "));
    assertEquals(List.of(), Eda.words(Eda.normalise("...")));
  }

  @Test
  public void defaultsAreCleanClips() {
    EdaConfig c = config(Map.of());
    assertEquals(0.1, c.alphaSr(), 0);
    assertEquals(0.1, c.alphaRi(), 0);
    assertEquals(0.1, c.alphaRs(), 0);
    assertEquals(0.1, c.pRd(), 0);
    assertEquals(List.of(Operation.SR, Operation.RI, Operation.RS, Operation.RD), c.operations());
    assertEquals(List.of(Operation.SR, Operation.RD), config(Map.of("operations", List.of("RD", "sr"))).operations());
    assertEquals(List.of(Operation.RS), config(Map.of("operations", "rs")).operations());
  }

  @Test
  public void rejectsBadOperationsAndRatesNamingTheKey() {
    ConfigException unknown = assertThrows(ConfigException.class, () -> config(Map.of("operations", List.of("sr", "swap"))));
    assertEquals("operations", unknown.key());
    assertThat(unknown.detail(), containsString("swap"));
    assertEquals("operations", assertThrows(ConfigException.class, () -> config(Map.of("operations", List.of()))).key());
    assertEquals("operations", assertThrows(ConfigException.class,
        () -> config(Map.of("operations", List.of("sr"), "alphaSr", 0.0))).key());

    assertEquals("alphaSr", assertThrows(ConfigException.class, () -> config(Map.of("alphaSr", 1.5))).key());
    assertEquals("pRd", assertThrows(ConfigException.class, () -> config(Map.of("pRd", -0.1))).key());
    List<ConfigProblem> problems = augmenter.configSchema().validate(Map.of("alphaRi", 2, "operations", 3));
    assertEquals(Set.of("alphaRi", "operations"), problems.stream().map(ConfigProblem::key).collect(Collectors.toSet()));
  }

  @Test
  public void synonymsAreWordNetLemmaNamesWithoutTheWord() {
    List<String> car = WordNetSynonyms.of("car");
    assertThat(car, hasItem("automobile"));
    assertThat(car, hasItem("railway car"));
    assertThat(car, not(hasItem("car")));
    assertEquals("auto", car.get(0)); // car.n.01 lists car, auto, automobile, ...
    assertEquals(new HashSet<>(car).size(), car.size());
    // NLTK's morphy: an inflected form finds its lemma's synsets.
    assertThat(WordNetSynonyms.of("cars"), hasItem("car"));
    assertThat(WordNetSynonyms.of("running"), hasItem("run"));
    // Irregular forms through the exception lists, read as NLTK does (a later line wins).
    assertThat(WordNetSynonyms.of("geese"), hasItem("goose"));
    assertEquals("comic strip", WordNetSynonyms.of("comics").get(0));
    assertEquals(List.of("eyrir"), WordNetSynonyms.of("aurar"));
    // A lemma name without letters ("1000") leaves an empty synonym, as in the reference.
    assertThat(WordNetSynonyms.of("thousand"), hasItem(""));
    assertThat(WordNetSynonyms.of("the"), empty());
    assertThat(WordNetSynonyms.of("ice cream"), empty());
  }

  @Test
  public void swapKeepsTheWords() {
    EdaConfig rs = only("rs");
    int reordered = 0;
    for (String caption : CAPTIONS) {
      for (long seed = 0; seed < 20; seed++) {
        String out = augmenter.augmentCaption(caption, rs, new SplittableRandom(seed));
        assertEquals(sorted(words(caption)), sorted(words(out)));
        reordered += words(out).equals(words(caption)) ? 0 : 1;
      }
    }
    assertThat(reordered, greaterThan(150));
  }

  @Test
  public void deletionOnlyRemovesAndNeverEmpties() {
    EdaConfig rd = only("rd");
    int shorter = 0;
    for (String caption : CAPTIONS) {
      List<String> in = words(caption);
      for (long seed = 0; seed < 20; seed++) {
        List<String> out = words(augmenter.augmentCaption(caption, rd, new SplittableRandom(seed)));
        assertThat(out, not(empty()));
        assertTrue(out + " is not a subsequence of " + in, isSubsequence(out, in));
        shorter += out.size() < in.size() ? 1 : 0;
      }
    }
    assertThat(shorter, greaterThan(50));
    // Everything dropped: one word of the caption is left.
    EdaConfig all = config(Map.of("operations", List.of("rd"), "pRd", 1.0));
    for (long seed = 0; seed < 10; seed++) {
      List<String> out = words(augmenter.augmentCaption(CAPTIONS.get(0), all, new SplittableRandom(seed)));
      assertEquals(1, out.size());
      assertThat(words(CAPTIONS.get(0)), hasItem(out.get(0)));
    }
    assertEquals("dog", augmenter.augmentCaption("Dog!", all, new SplittableRandom(3)));
  }

  private static boolean isSubsequence(List<String> sub, List<String> of) {
    int j = 0;
    for (String w : of) {
      if (j < sub.size() && sub.get(j).equals(w)) {
        j++;
      }
    }
    return j == sub.size();
  }

  @Test
  public void insertionAddsKFirstSynonymsNeverAtTheEnd() {
    Eda eda = new Eda(WordNetSynonyms::of);
    // Every word has synonyms, so no draw gives up; 24 words at alpha 0.1 make k = 2.
    List<String> in = words("dog car house tree road river boat city field horse bird table "
        + "chair window door street garden flower train bridge mountain lake beach forest");
    int k = Eda.count(0.1, in.size());
    assertEquals(2, k);
    for (long seed = 0; seed < 30; seed++) {
      List<String> out = eda.randomInsertion(in, k, new SplittableRandom(seed));
      assertEquals(in.size() + k, out.size());
      List<String> added = new ArrayList<>(out);
      for (String w : in) {
        added.remove(w);
      }
      assertEquals(k, added.size());
      for (String a : added) {
        boolean firstSynonymOfSome = out.stream().anyMatch(w -> !WordNetSynonyms.of(w).isEmpty() && WordNetSynonyms.of(w).get(0).equals(a));
        assertTrue(a + " is no word's first synonym", firstSynonymOfSome);
      }
      assertEquals(in.get(in.size() - 1), out.get(out.size() - 1));
    }
    // Through the extension: the caption never shrinks and nearly always grows (a first synonym
    // without letters, as "2" for "two", inserts nothing).
    EdaConfig ri = only("ri");
    int grew = 0;
    for (String caption : CAPTIONS) {
      for (long seed = 0; seed < 5; seed++) {
        int before = words(caption).size();
        int after = words(augmenter.augmentCaption(caption, ri, new SplittableRandom(seed))).size();
        assertThat(after >= before, is(true));
        grew += after > before ? 1 : 0;
      }
    }
    assertThat(grew, greaterThan(40));
  }

  @Test
  public void replacementChangesOnlyNonStopWordsToSynonyms() {
    // Multi-word synonyms made single tokens, so output and input line up word for word.
    Eda eda = new Eda(w -> WordNetSynonyms.of(w).stream().map(s -> s.replace(' ', '_')).collect(Collectors.toList()));
    for (String caption : CAPTIONS) {
      List<String> in = words(caption);
      for (long seed = 0; seed < 10; seed++) {
        List<String> out = eda.synonymReplacement(in, 1, new SplittableRandom(seed));
        assertEquals(in.size(), out.size());
        Map<String, String> replaced = new HashMap<>();
        for (int i = 0; i < in.size(); i++) {
          String w = in.get(i);
          if (!out.get(i).equals(w)) {
            assertThat(Eda.STOP_WORDS, not(hasItem(w)));
            assertThat(WordNetSynonyms.of(w), hasItem(out.get(i).replace('_', ' ')));
            String before = replaced.put(w, out.get(i));
            assertTrue("every occurrence of " + w + " gets one synonym", before == null || before.equals(out.get(i)));
          }
        }
        for (int i = 0; i < in.size(); i++) {
          if (replaced.containsKey(in.get(i))) {
            assertEquals("every occurrence of " + in.get(i) + " is replaced", replaced.get(in.get(i)), out.get(i));
          }
        }
        assertEquals("k = 1 word replaced in " + in + " -> " + out, 1, replaced.size());
      }
    }
  }

  @Test
  public void stopWordsAreNeverReplaced() {
    EdaConfig sr = only("sr");
    // All stop words: SR has nothing to replace.
    for (long seed = 0; seed < 20; seed++) {
      assertEquals("it is what it is", augmenter.augmentCaption("It is what it is!", sr, new SplittableRandom(seed)));
    }
    // One content word: it is the one replaced, the stop words stay.
    for (long seed = 0; seed < 20; seed++) {
      String out = augmenter.augmentCaption("He is in the car.", sr, new SplittableRandom(seed));
      assertThat(out, startsWith("he is in the "));
      assertThat(WordNetSynonyms.of("car"), hasItem(out.substring("he is in the ".length())));
    }
  }

  @Test
  public void sameSeedSameCaptionOtherSeedsOtherCaptions() {
    EdaConfig c = config(Map.of());
    int differ = 0;
    for (String caption : CAPTIONS) {
      Set<String> outs = new HashSet<>();
      for (long seed = 0; seed < 10; seed++) {
        String a = augmenter.augmentCaption(caption, c, new SplittableRandom(seed));
        assertEquals(a, augmenter.augmentCaption(caption, c, new SplittableRandom(seed)));
        outs.add(a);
      }
      assertThat(caption, outs.size(), greaterThan(3));
      differ += augmenter.augmentCaption(caption, c, new SplittableRandom(1)).equals(
          augmenter.augmentCaption(caption, c, new SplittableRandom(2))) ? 0 : 1;
    }
    assertThat(differ, greaterThan(5));
  }

  /**
   * Outputs of CleanCLIP's utils/eda.py itself, unmodified, with its random calls answered from the
   * same SplittableRandom draws (randint(a, b) = a + nextInt(b - a + 1), uniform = nextDouble,
   * choice and shuffle likewise), NLTK 3.8 over WordNet 3.0, and first-occurrence order in place
   * of its set order. 600 of 600 (caption, seed) pairs agreed; these are a sample.
   */
  private static final String[][] REFERENCE = {
      {"A dog runs across the green field with a red ball in its mouth.", "0",
          "a dog runs across the green field with a run red ball in its mouth"},
      {"A dog runs across the green field with a red ball in its mouth.", "1",
          "a dog runs across the green field red ball in mouth"},
      {"A dog runs across the green field with a red ball in its mouth.", "2",
          "a dog runs inch across the green field with a red ball in its mouth"},
      {"A dog runs across the green field with a red ball in its mouth.", "7",
          "a dog runs across the green in with a red ball field its mouth"},
      {"The man is riding a bicycle down a busy city street.", "0",
          "the man is riding a wheel down a busy city street"},
      {"The man is riding a bicycle down a busy city street.", "1",
          "the man is riding a bicycle down a busy city"},
      {"The man is riding a bicycle down a busy city street.", "2",
          "the man is riding a pedal down a busy city street"},
      {"The man is riding a bicycle down a busy city street.", "7",
          "the man is riding a pedal down a busy city street"},
      {"It\u2019s a well-known fact: the geese aren't flying south this year, said the 3 farmers' wives.", "0",
          "its a well known fact said geese arent flying south this year the the farmers wives"},
      {"It\u2019s a well-known fact: the geese aren't flying south this year, said the 3 farmers' wives.", "1",
          "its a well known fact the geese arent flying south this year sound out the farmers wives"},
      {"It\u2019s a well-known fact: the geese aren't flying south this year, said the 3 farmers' wives.", "2",
          "its a well known fact the geese arent flying south this year tell the farmers wives"},
      {"It\u2019s a well-known fact: the geese aren't flying south this year, said the 3 farmers' wives.", "7",
          "its a well known fact the geese arent flying state south this year said the farmers wives"},
      {"an aerial view of the city skyline at night with thousands of lights reflecting in the calm harbour water below the tall buildings and bridges", "0",
          "an aerial view of the city skyline at night with thousands of lights reflecting in water calm harbour bridges below the tall buildings and the"},
      {"an aerial view of the city skyline at night with thousands of lights reflecting in the calm harbour water below the tall buildings and bridges", "1",
          "an aerial view of the city skyline at night metropolis with thousands of lights horizon reflecting in the calm harbour water below the tall buildings and bridges"},
      {"an aerial view of the city skyline at night with thousands of lights reflecting in the calm harbour water below the tall buildings and bridges", "2",
          "an ethereal view of the city skyline at night with thousands of lights reflecting in the calm harbour ho below the tall buildings and bridges"},
      {"an aerial view of the city skyline at night with thousands of lights reflecting in the calm harbour water below the tall buildings and bridges", "7",
          "an aerial view the city skyline at with thousands of lights in the calm harbour water below buildings and bridges"},
      {"dog", "0",
          "dog"},
      {"dog", "1",
          "domestic dog dog"},
      {"dog", "2",
          "domestic dog dog"},
      {"dog", "7",
          "dog"},
  };

  @Test
  public void matchesTheReferenceFedTheSameDraws() {
    EdaConfig c = config(Map.of());
    for (String[] row : REFERENCE) {
      assertEquals(row[0] + " seed " + row[1], row[2], augmenter.augmentCaption(row[0], c, new SplittableRandom(Long.parseLong(row[1]))));
    }
  }

  @Test
  public void threadsGiveTheSameCaptionsAsOneThread() {
    EdaConfig c = config(Map.of());
    List<String> sequential = IntStream.range(0, 400)
        .mapToObj(i -> augmenter.augmentCaption(CAPTIONS.get(i % CAPTIONS.size()), c, new SplittableRandom(i)))
        .collect(Collectors.toList());
    List<String> parallel = IntStream.range(0, 400).parallel()
        .mapToObj(i -> augmenter.augmentCaption(CAPTIONS.get(i % CAPTIONS.size()), c, new SplittableRandom(i)))
        .collect(Collectors.toList());
    assertEquals(sequential, parallel);
  }

  @Test
  public void captionsWithoutLettersPassUnchanged() {
    EdaConfig c = config(Map.of());
    assertEquals("", augmenter.augmentCaption("", c, new SplittableRandom(1)));
    assertEquals("   ", augmenter.augmentCaption("   ", c, new SplittableRandom(1)));
    assertEquals("1999!", augmenter.augmentCaption("1999!", c, new SplittableRandom(1)));
    // A one-word caption whose synonym has no letters ("1000") keeps the word, not "".
    EdaConfig sr = only("sr");
    for (long seed = 0; seed < 10; seed++) {
      assertThat(augmenter.augmentCaption("thousand", sr, new SplittableRandom(seed)).isEmpty(), is(false));
    }
  }
}
