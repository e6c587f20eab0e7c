package org.abdflow.model.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.apache.commons.text.StringEscapeUtils;

/**
 * CLIP's byte-level BPE tokenizer, as OpenAI's {@code simple_tokenizer.py}: text clean-up (HTML
 * entities unescaped twice, Unicode NFC, whitespace runs to one space), lower case, the pattern
 * split (special tokens, English contractions, letter runs, single digits, other non-space runs),
 * bytes mapped to printable characters, merges by rank, a word-final {@code </w>}; start and end
 * tokens around the ids and a context of 77 by default, cut with the end token kept last, zero
 * padding. Loads OpenAI's merges file ({@code bpe_simple_vocab_16e6.txt.gz}) or Hugging Face's
 * {@code vocab.json} + {@code merges.txt}. Immutable apart from a thread-safe word cache.
 */
public final class BpeTokenizer implements Tokenizer {
  static final String TYPE = "bpe";
  public static final String START = "<|startoftext|>";
  public static final String END = "<|endoftext|>";
  /** OpenAI's merges file holds more lines than the vocabulary uses: 49152 − 256 − 2 merges are read. */
  public static final int OPENAI_MERGES = 49152 - 256 - 2;

  private static final Pattern SPLIT = Pattern.compile(
      "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+",
      Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");
  private static final char[][] BYTE_SYMBOLS = byteSymbols();
  private static final char[] BYTE_TO_CHAR = BYTE_SYMBOLS[0];
  private static final Map<Character, Integer> CHAR_TO_BYTE = new HashMap<>();

  static {
    for (int b = 0; b < 256; b++) {
      CHAR_TO_BYTE.put(BYTE_TO_CHAR[b], b);
    }
  }

  private final List<String> merges;
  private final List<String> vocab;
  private final Map<String, Integer> encoder;
  private final Map<String, Integer> ranks;
  private final int contextLength;
  private final int start;
  private final int end;
  private final Map<String, int[]> cache = new ConcurrentHashMap<>();

  private BpeTokenizer(List<String> merges, List<String> vocab, int contextLength) {
    if (contextLength < 2) {
      throw new IllegalArgumentException("a context of " + contextLength + " has no room for the start and end tokens");
    }
    this.merges = List.copyOf(merges);
    this.vocab = List.copyOf(vocab);
    this.contextLength = contextLength;
    this.encoder = new HashMap<>(vocab.size() * 2);
    for (int i = 0; i < vocab.size(); i++) {
      encoder.put(vocab.get(i), i);
    }
    this.ranks = new HashMap<>(merges.size() * 2);
    for (int i = 0; i < merges.size(); i++) {
      ranks.putIfAbsent(merges.get(i), i);
    }
    Integer s = encoder.get(START);
    Integer e = encoder.get(END);
    if (s == null || e == null) {
      throw new IllegalArgumentException("the vocabulary lacks " + (s == null ? START : END));
    }
    if (e != vocab.size() - 1) {
      throw new IllegalArgumentException(END + " must be the highest id (" + (vocab.size() - 1) + "), where the text tower pools; it is " + e);
    }
    this.start = s;
    this.end = e;
  }

  /** From OpenAI's merges file (gzipped or plain): the vocabulary is built from the merges as OpenAI does. */
  public static BpeTokenizer openAi(Path mergesFile, int contextLength) throws IOException {
    List<String> merges = new ArrayList<>();
    try (BufferedReader r = reader(mergesFile)) {
      String header = r.readLine(); // a version line
      if (header == null) {
        throw new IOException(mergesFile + ": empty merges file");
      }
      String line;
      int lineNo = 1;
      while (merges.size() < OPENAI_MERGES && (line = r.readLine()) != null) {
        lineNo++;
        merges.add(checkMerge(line, mergesFile, lineNo));
      }
    }
    List<String> vocab = new ArrayList<>(2 * 256 + merges.size() + 2);
    for (char c : BYTE_SYMBOLS[1]) {
      vocab.add(String.valueOf(c));
    }
    for (char c : BYTE_SYMBOLS[1]) {
      vocab.add(c + "</w>");
    }
    for (String m : merges) {
      vocab.add(m.replace(" ", ""));
    }
    vocab.add(START);
    vocab.add(END);
    return new BpeTokenizer(merges, vocab, contextLength);
  }

  /** From Hugging Face's {@code vocab.json} (token → id) and {@code merges.txt}. */
  public static BpeTokenizer huggingFace(Path vocabJson, Path mergesTxt, int contextLength) throws IOException {
    JsonNode json = new ObjectMapper().readTree(vocabJson.toFile());
    if (!json.isObject()) {
      throw new IOException(vocabJson + ": expected a JSON object of token → id");
    }
    String[] byId = new String[json.size()];
    var fields = json.fields();
    while (fields.hasNext()) {
      var f = fields.next();
      int id = f.getValue().asInt(-1);
      if (!f.getValue().isInt() || id < 0 || id >= byId.length || byId[id] != null) {
        throw new IOException(vocabJson + ": token " + f.getKey() + " has id " + f.getValue() + ", not a unique id in [0, " + byId.length + ")");
      }
      byId[id] = f.getKey();
    }
    List<String> merges = new ArrayList<>();
    try (BufferedReader r = reader(mergesTxt)) {
      String line;
      int lineNo = 0;
      while ((line = r.readLine()) != null) {
        lineNo++;
        if ((lineNo == 1 && line.startsWith("#version")) || line.isEmpty()) {
          continue;
        }
        merges.add(checkMerge(line, mergesTxt, lineNo));
      }
    }
    return new BpeTokenizer(merges, Arrays.asList(byId), contextLength);
  }

  private static String checkMerge(String line, Path file, int lineNo) throws IOException {
    String[] parts = line.split(" ");
    if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw new IOException(file + ":" + lineNo + ": a merge is two symbols separated by one space, got \"" + line + "\"");
    }
    return line;
  }

  private static BufferedReader reader(Path file) throws IOException {
    InputStream in = Files.newInputStream(file);
    if (file.getFileName().toString().endsWith(".gz")) {
      in = new GZIPInputStream(in);
    }
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }

  /**
   * OpenAI's bytes_to_unicode: printable Latin-1 bytes stand for themselves, the others for
   * 256 + n in byte order. Returns {byte → symbol, the symbols in the vocabulary's order}.
   */
  private static char[][] byteSymbols() {
    boolean[] printable = new boolean[256];
    for (int b = 0; b < 256; b++) {
      printable[b] = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
    }
    char[] symbol = new char[256];
    char[] order = new char[256];
    int k = 0;
    for (int b = 0; b < 256; b++) {
      if (printable[b]) {
        symbol[b] = (char) b;
        order[k++] = (char) b;
      }
    }
    int n = 0;
    for (int b = 0; b < 256; b++) {
      if (!printable[b]) {
        symbol[b] = (char) (256 + n++);
        order[k++] = symbol[b];
      }
    }
    return new char[][] {symbol, order};
  }

  /** Text as CLIP cleans it before splitting: HTML unescaped twice, NFC, whitespace runs to one space, trimmed, lower case. */
  public static String clean(String text) {
    String t = StringEscapeUtils.unescapeHtml4(StringEscapeUtils.unescapeHtml4(text));
    t = Normalizer.normalize(t, Normalizer.Form.NFC);
    return WHITESPACE.matcher(t).replaceAll(" ").strip().toLowerCase(Locale.ROOT);
  }

  /** The BPE ids of {@code text}, without start and end tokens and uncut. */
  public int[] ids(String text) {
    List<int[]> parts = new ArrayList<>();
    int total = 0;
    Matcher m = SPLIT.matcher(clean(text));
    while (m.find()) {
      int[] word = word(m.group());
      parts.add(word);
      total += word.length;
    }
    int[] out = new int[total];
    int at = 0;
    for (int[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  @Override
  public int[] encode(String text) {
    int[] ids = ids(text);
    int[] out = new int[contextLength];
    out[0] = start;
    int n = Math.min(ids.length, contextLength - 2);
    System.arraycopy(ids, 0, out, 1, n);
    out[1 + n] = end;
    return out;
  }

  private int[] word(String token) {
    if (token.equals(START) || token.equals(END)) {
      return new int[] {encoder.get(token)};
    }
    return cache.computeIfAbsent(token, this::bpe);
  }

  private int[] bpe(String token) {
    byte[] bytes = token.getBytes(StandardCharsets.UTF_8);
    List<String> word = new ArrayList<>(bytes.length);
    for (byte b : bytes) {
      word.add(String.valueOf(BYTE_TO_CHAR[b & 0xff]));
    }
    word.set(word.size() - 1, word.get(word.size() - 1) + "</w>");
    while (word.size() > 1) {
      int bestRank = Integer.MAX_VALUE;
      String first = null;
      String second = null;
      for (int i = 0; i + 1 < word.size(); i++) {
        Integer r = ranks.get(word.get(i) + " " + word.get(i + 1));
        if (r != null && r < bestRank) {
          bestRank = r;
          first = word.get(i);
          second = word.get(i + 1);
        }
      }
      if (first == null) {
        break;
      }
      // every occurrence of the pair, left to right, as the reference merges them
      List<String> merged = new ArrayList<>(word.size());
      for (int i = 0; i < word.size(); i++) {
        if (i + 1 < word.size() && word.get(i).equals(first) && word.get(i + 1).equals(second)) {
          merged.add(first + second);
          i++;
        } else {
          merged.add(word.get(i));
        }
      }
      word = merged;
    }
    int[] out = new int[word.size()];
    for (int i = 0; i < out.length; i++) {
      Integer id = encoder.get(word.get(i));
      if (id == null) {
        throw new IllegalStateException("BPE symbol \"" + word.get(i) + "\" of \"" + token + "\" is not in the vocabulary");
      }
      out[i] = id;
    }
    return out;
  }

  @Override
  public int vocabSize() {
    return vocab.size();
  }

  @Override
  public int contextLength() {
    return contextLength;
  }

  @Override
  public int endToken() {
    return end;
  }

  public int startToken() {
    return start;
  }

  /** The text of the ids up to the end token (padding follows it), word ends as spaces, as OpenAI's decode. */
  @Override
  public String decode(int[] ids) {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    for (int id : ids) {
      if (id == end) {
        break;
      }
      if (id == start) {
        continue;
      }
      for (char c : vocab.get(id).replace("</w>", " ").toCharArray()) {
        Integer b = CHAR_TO_BYTE.get(c);
        if (b != null) {
          bytes.write(b);
        } else {
          bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
        }
      }
    }
    return new String(bytes.toByteArray(), StandardCharsets.UTF_8);
  }

  @Override
  public void save(Path file) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode o = json.createObjectNode();
    o.put("type", TYPE);
    o.put("context_length", contextLength);
    ArrayNode m = o.putArray("merges");
    merges.forEach(m::add);
    ArrayNode v = o.putArray("vocab");
    vocab.forEach(v::add);
    Files.writeString(file, json.writeValueAsString(o));
  }

  static BpeTokenizer fromJson(JsonNode json) {
    List<String> merges = new ArrayList<>();
    json.path("merges").forEach(x -> merges.add(x.asText()));
    List<String> vocab = new ArrayList<>();
    json.path("vocab").forEach(x -> vocab.add(x.asText()));
    return new BpeTokenizer(merges, vocab, json.path("context_length").asInt());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BpeTokenizer b && b.contextLength == contextLength && b.merges.equals(merges) && b.vocab.equals(vocab);
  }

  @Override
  public int hashCode() {
    return merges.hashCode() * 31 + contextLength;
  }

  @Override
  public String toString() {
    return "BpeTokenizer(" + vocab.size() + " ids, " + merges.size() + " merges, context " + contextLength + ")";
  }
}
