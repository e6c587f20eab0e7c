package org.abdflow.model.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A lower-case word-level vocabulary built from a corpus: enough for captions made from a dozen
 * templates and a few class names (CLIP's BPE is the tokenizer for real text). Words are runs of
 * letters or digits; every other non-space character is a token of its own. Ids: 0 padding, 1
 * unknown, the corpus's words in sorted order, then start, then end (the highest id).
 */
public final class WordTokenizer implements Tokenizer {
  static final String TYPE = "word";
  public static final int PAD = 0;
  public static final int UNKNOWN = 1;
  private static final int FIRST_WORD = 2;
  private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}]+|[^\\s\\p{L}\\p{N}]");

  private final List<String> words;
  private final Map<String, Integer> ids;
  private final int contextLength;

  private WordTokenizer(List<String> words, int contextLength) {
    if (contextLength < 2) {
      throw new IllegalArgumentException("context length must hold start and end tokens, got " + contextLength);
    }
    this.words = List.copyOf(words);
    this.contextLength = contextLength;
    this.ids = new HashMap<>();
    for (int i = 0; i < this.words.size(); i++) {
      ids.put(this.words.get(i), FIRST_WORD + i);
    }
  }

  /** A vocabulary of every word in {@code texts}; the same texts in any order give the same ids. */
  public static WordTokenizer build(Iterable<String> texts, int contextLength) {
    TreeSet<String> vocab = new TreeSet<>();
    for (String t : texts) {
      vocab.addAll(split(t));
    }
    return new WordTokenizer(new ArrayList<>(vocab), contextLength);
  }

  /** The tokens of a text: lower-cased words and single punctuation characters. */
  public static List<String> split(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = TOKEN.matcher(text.toLowerCase(Locale.ROOT));
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  public int startToken() {
    return FIRST_WORD + words.size();
  }

  /** The words in id order (the first has id 2). */
  public List<String> words() {
    return words;
  }

  @Override
  public int endToken() {
    return startToken() + 1;
  }

  @Override
  public int vocabSize() {
    return endToken() + 1;
  }

  @Override
  public int contextLength() {
    return contextLength;
  }

  @Override
  public int[] encode(String text) {
    List<String> tokens = split(text);
    int[] out = new int[contextLength];
    out[0] = startToken();
    int n = Math.min(tokens.size(), contextLength - 2);
    for (int i = 0; i < n; i++) {
      out[i + 1] = ids.getOrDefault(tokens.get(i), UNKNOWN);
    }
    out[n + 1] = endToken();
    return out;
  }

  @Override
  public String decode(int[] tokenIds) {
    StringBuilder sb = new StringBuilder();
    for (int id : tokenIds) {
      if (id == endToken()) {
        break;
      }
      if (id == PAD || id == startToken()) {
        continue;
      }
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(id == UNKNOWN || id >= endToken() ? "<unk>" : words.get(id - FIRST_WORD));
    }
    return sb.toString();
  }

  @Override
  public void save(Path file) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode o = json.createObjectNode();
    o.put("type", TYPE);
    o.put("context_length", contextLength);
    words.forEach(o.putArray("words")::add);
    Files.writeString(file, json.writerWithDefaultPrettyPrinter().writeValueAsString(o));
  }

  static WordTokenizer fromJson(JsonNode json) {
    List<String> words = new ArrayList<>();
    json.path("words").forEach(w -> words.add(w.asText()));
    return new WordTokenizer(words, json.path("context_length").asInt());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WordTokenizer
        && ((WordTokenizer) o).words.equals(words)
        && ((WordTokenizer) o).contextLength == contextLength;
  }

  @Override
  public int hashCode() {
    return words.hashCode() * 31 + contextLength;
  }

  @Override
  public String toString() {
    return "WordTokenizer[" + words.size() + " words, context " + contextLength + "]";
  }
}
