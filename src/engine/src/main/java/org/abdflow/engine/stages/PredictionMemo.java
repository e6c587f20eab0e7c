package org.abdflow.engine.stages;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.abdflow.schema.Prediction;
import org.abdflow.schema.Sample;
import org.apache.beam.sdk.coders.IterableCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.values.KV;
import org.apache.commons.codec.digest.DigestUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The zero-shot predictions one classifier (a model checkpoint with its classes, templates and
 * targets: the table's key) made in earlier runs, by a digest of the input record and the attack
 * that triggered it. Bundles differ from run to run, so predictions are not stored per stage but
 * per input: each flushed batch adds a file named by the SHA-256 of its bytes, written under a
 * temporary name and renamed, and a file whose bytes do not match its name is ignored.
 */
final class PredictionMemo {
  private static final Logger LOG = LoggerFactory.getLogger(PredictionMemo.class);
  private static final IterableCoder<KV<String, Prediction>> CODER =
      IterableCoder.of(KvCoder.of(StringUtf8Coder.of(), Coders.prediction()));
  private static final String SUFFIX = ".predictions";

  private final Path dir;

  PredictionMemo(Path dir) {
    this.dir = dir;
  }

  /** The digest an input is found by: the attack that made it and the whole record (image, label, id). */
  static String inputKey(String attack, Sample record) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      bytes.write(attack.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      bytes.write(0);
      Coders.sample().encode(record, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return DigestUtils.sha256Hex(bytes.toByteArray());
  }

  /** Every prediction stored so far, by input key; files that fail their digest are skipped. */
  Map<String, Prediction> load() throws IOException {
    Map<String, Prediction> found = new HashMap<>();
    if (!Files.isDirectory(dir)) {
      return found;
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
    }
    CacheInventory.touch(dir);
    for (Path f : files) {
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(f);
      } catch (java.nio.file.NoSuchFileException e) {
        continue; // removed by another worker as damaged
      }
      String name = f.getFileName().toString();
      if (!DigestUtils.sha256Hex(bytes).equals(name.substring(0, name.length() - SUFFIX.length()))) {
        // named by its digest, so a mismatch is damage: no later run should read it either
        LOG.warn("stored predictions {} do not match their digest; ignored and removed", f);
        Files.deleteIfExists(f);
        continue;
      }
      for (KV<String, Prediction> kv : CODER.decode(new ByteArrayInputStream(bytes))) {
        found.put(kv.getKey(), kv.getValue());
      }
    }
    return found;
  }

  /** Adds one batch's predictions, whole or not at all. */
  void store(List<KV<String, Prediction>> batch) throws IOException {
    if (batch.isEmpty()) {
      return;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CODER.encode(new ArrayList<>(batch), out);
    byte[] bytes = out.toByteArray();
    Files.createDirectories(dir);
    Path file = dir.resolve(DigestUtils.sha256Hex(bytes) + SUFFIX);
    if (Files.exists(file)) {
      return;
    }
    Path tmp = Files.createTempFile(dir, ".partial-", SUFFIX + ".tmp");
    Files.write(tmp, bytes);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
