package org.abdflow.plugins.eda;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * EDA (Wei and Zou 2019) of one caption, step for step as CleanCLIP's {@code utils/eda.py} with
 * {@code num_aug = 1} (PAPER.md §1.4): one candidate per operation, each normalised, one kept at
 * random. Only the random source differs from the reference: every draw comes from the record's
 * {@link SplittableRandom}, so a seed gives one caption.
 */
public final class Eda {

  /** The four operations, in the order the reference builds its candidates. */
  public enum Operation {
    SR, RI, RS, RD;

    /** The spec name: {@code sr}, {@code ri}, {@code rs} or {@code rd}. */
    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The reference's 128 stop words; the empty string is one of them, as there. */
  public static final Set<String> STOP_WORDS =
      Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(
          "i", "me", "my", "myself", "we", "our", "ours", "ourselves", "you", "your", "yours",
          "yourself", "yourselves", "he", "him", "his", "himself", "she", "her", "hers", "herself",
          "it", "its", "itself", "they", "them", "their", "theirs", "themselves", "what", "which",
          "who", "whom", "this", "that", "these", "those", "am", "is", "are", "was", "were", "be",
          "been", "being", "have", "has", "had", "having", "do", "does", "did", "doing", "a", "an",
          "the", "and", "but", "if", "or", "because", "as", "until", "while", "of", "at", "by",
          "for", "with", "about", "against", "between", "into", "through", "during", "before",
          "after", "above", "below", "to", "from", "up", "down", "in", "out", "on", "off", "over",
          "under", "again", "further", "then", "once", "here", "there", "when", "where", "why",
          "how", "all", "any", "both", "each", "few", "more", "most", "other", "some", "such", "no",
          "nor", "not", "only", "own", "same", "so", "than", "too", "very", "s", "t", "can", "will",
          "just", "don", "should", "now", "")));

  private final Function<String, List<String>> synonyms;

  /** {@code synonyms} gives a word's synonyms in a fixed order; {@link WordNetSynonyms#of} in use. */
  public Eda(Function<String, List<String>> synonyms) {
    this.synonyms = synonyms;
  }

  /**
   * The augmented caption. A caption with no letters is returned as it is: the reference fails on
   * it (it indexes an empty string), and an augmenter must not fail a record.
   */
  public String augment(String caption, EdaConfig config, SplittableRandom rng) {
    if (caption == null) {
      return null;
    }
    String sentence = normalise(caption);
    List<String> words = words(sentence);
    int n = words.size();
    if (n == 0) {
      return caption;
    }
    List<String> candidates = new ArrayList<>(4);
    // An operation with a zero rate takes no part, as the reference's "if alpha > 0" has it.
    if (config.uses(Operation.SR) && config.alphaSr() > 0) {
      candidates.add(String.join(" ", synonymReplacement(words, count(config.alphaSr(), n), rng)));
    }
    if (config.uses(Operation.RI) && config.alphaRi() > 0) {
      candidates.add(String.join(" ", randomInsertion(words, count(config.alphaRi(), n), rng)));
    }
    if (config.uses(Operation.RS) && config.alphaRs() > 0) {
      candidates.add(String.join(" ", randomSwap(words, count(config.alphaRs(), n), rng)));
    }
    if (config.uses(Operation.RD) && config.pRd() > 0) {
      candidates.add(String.join(" ", randomDeletion(words, config.pRd(), rng)));
    }
    candidates.replaceAll(Eda::normalise);
    shuffle(candidates, rng);
    // An empty pick (a one-word caption whose synonym had no letters, e.g. "thousand" -> "1000")
    // would crash the reference; the normalised caption is its fallback.
    return candidates.isEmpty() || candidates.get(0).isEmpty() ? sentence : candidates.get(0);
  }

  /** k = max(1, int(alpha * n)): how many words an operation touches. */
  static int count(double alpha, int n) {
    return Math.max(1, (int) (alpha * n));
  }

  /**
   * The reference's {@code get_only_chars}: apostrophes deleted; '-', tab and newline to spaces;
   * lower case; anything but a-z and space to a space; runs of spaces collapsed; one leading space
   * dropped. A trailing space stays, as there.
   */
  public static String normalise(String line) {
    String s = line.replace("\u2019", "").replace("'", "")
        .replace("-", " ").replace("\t", " ").replace("\n", " ")
        .toLowerCase(Locale.ROOT);
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean keep = (c >= 'a' && c <= 'z') || c == ' ';
      char put = keep ? c : ' ';
      if (put == ' ' && out.length() > 0 && out.charAt(out.length() - 1) == ' ') {
        continue;
      }
      out.append(put);
    }
    if (out.length() > 0 && out.charAt(0) == ' ') {
      out.deleteCharAt(0);
    }
    return out.toString();
  }

  /** The words of a normalised line: split on spaces, empty strings dropped. */
  public static List<String> words(String normalised) {
    List<String> out = new ArrayList<>();
    for (String w : normalised.split(" ", -1)) {
      if (!w.isEmpty()) {
        out.add(w);
      }
    }
    return out;
  }

  /**
   * SR: distinct non-stop-words in random order; each with a synonym has all its occurrences
   * replaced by a random one, until {@code k} words are replaced. Multi-word synonyms are split.
   */
  List<String> synonymReplacement(List<String> words, int k, SplittableRandom rng) {
    List<String> out = new ArrayList<>(words);
    List<String> candidates = new ArrayList<>();
    // First-occurrence order stands in for the reference's set order, which varies by process.
    for (String w : new LinkedHashSet<>(words)) {
      if (!STOP_WORDS.contains(w)) {
        candidates.add(w);
      }
    }
    shuffle(candidates, rng);
    int replaced = 0;
    for (String word : candidates) {
      List<String> syn = synonyms.apply(word);
      if (!syn.isEmpty()) {
        String synonym = syn.get(rng.nextInt(syn.size()));
        out.replaceAll(w -> w.equals(word) ? synonym : w);
        replaced++;
      }
      if (replaced >= k) {
        break;
      }
    }
    // The reference joins and splits on single spaces, which keeps an empty synonym as a word.
    return Arrays.asList(String.join(" ", out).split(" ", -1));
  }

  /**
   * RI, {@code k} times: up to 10 random words until one has synonyms; its first synonym goes in
   * at a random index in [0, len - 1], so never at the end.
   */
  List<String> randomInsertion(List<String> words, int k, SplittableRandom rng) {
    List<String> out = new ArrayList<>(words);
    for (int i = 0; i < k; i++) {
      List<String> syn = List.of();
      int tries = 0;
      while (syn.isEmpty()) {
        syn = synonyms.apply(out.get(rng.nextInt(out.size())));
        tries++;
        if (tries >= 10) {
          break;
        }
      }
      // The reference gives up after the tenth draw even if that one found synonyms.
      if (tries >= 10) {
        continue;
      }
      out.add(rng.nextInt(out.size()), syn.get(0));
    }
    return out;
  }

  /** RS, {@code k} times: swap two random distinct positions, drawing the second up to 3 times. */
  static List<String> randomSwap(List<String> words, int k, SplittableRandom rng) {
    List<String> out = new ArrayList<>(words);
    for (int i = 0; i < k; i++) {
      int a = rng.nextInt(out.size());
      int b = a;
      int counter = 0;
      boolean swap = true;
      while (b == a) {
        b = rng.nextInt(out.size());
        counter++;
        // As in the reference, the fourth draw ends the attempt whatever it gave.
        if (counter > 3) {
          swap = false;
          break;
        }
      }
      if (swap) {
        Collections.swap(out, a, b);
      }
    }
    return out;
  }

  /** RD: each word dropped with probability p; one word stays; never empty. */
  static List<String> randomDeletion(List<String> words, double p, SplittableRandom rng) {
    if (words.size() == 1) {
      return new ArrayList<>(words);
    }
    List<String> out = new ArrayList<>();
    for (String w : words) {
      if (rng.nextDouble() > p) {
        out.add(w);
      }
    }
    if (out.isEmpty()) {
      out.add(words.get(rng.nextInt(words.size())));
    }
    return out;
  }

  /** Fisher-Yates from the end, as Python's {@code random.shuffle}. */
  static <T> void shuffle(List<T> list, SplittableRandom rng) {
    for (int i = list.size() - 1; i > 0; i--) {
      Collections.swap(list, i, rng.nextInt(i + 1));
    }
  }
}
