package org.abdflow.model.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Text to the fixed-length id sequences CLIP's text tower reads: start token, word ids, end token
 * (always the highest id, where the tower pools), zero padding. Implementations are immutable and
 * safe to share between threads.
 */
public interface Tokenizer {

  /** {@link #contextLength()} ids; longer texts are cut, keeping the end token last. */
  int[] encode(String text);

  /** Number of ids, padding and special tokens included. */
  int vocabSize();

  int contextLength();

  /** The end-of-text id: the highest id. */
  default int endToken() {
    return vocabSize() - 1;
  }

  /** The text of an id sequence, without padding and special tokens (for tests and reports). */
  String decode(int[] ids);

  /** Writes this tokenizer as JSON with a {@code type} field that {@link #load} dispatches on. */
  void save(Path file) throws IOException;

  /** Encodes a batch as one N × context int32 array on {@code manager}. */
  default NDArray encode(NDManager manager, List<String> texts) {
    int ctx = contextLength();
    int[] flat = new int[texts.size() * ctx];
    for (int i = 0; i < texts.size(); i++) {
      System.arraycopy(encode(texts.get(i)), 0, flat, i * ctx, ctx);
    }
    return org.abdflow.api.HostTensors.of(manager, flat, new Shape(texts.size(), ctx));
  }

  /** Reads a tokenizer written by {@link #save}. */
  static Tokenizer load(Path file) throws IOException {
    JsonNode json = new ObjectMapper().readTree(Files.readString(file));
    String type = json.path("type").asText("");
    if (WordTokenizer.TYPE.equals(type)) {
      return WordTokenizer.fromJson(json);
    }
    if (BpeTokenizer.TYPE.equals(type)) {
      return BpeTokenizer.fromJson(json);
    }
    throw new IOException(file + ": unknown tokenizer type '" + type + "'");
  }
}
