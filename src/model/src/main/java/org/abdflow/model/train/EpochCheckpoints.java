package org.abdflow.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.codec.digest.DigestUtils;
import org.abdflow.model.SafeTensors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of a training at its last finished epoch, in a folder: named arrays (weights,
 * optimiser moments), a small JSON state (steps, losses so far) and opaque blobs (a loss term's own
 * state). A killed training resumes from it to the same
 * weights an uninterrupted one reaches. Each epoch is written under a temporary name, with the
 * SHA-256 of every file in {@value #STATE_FILE}, and renamed into place; a folder whose digests do
 * not match is ignored.
 */
public final class EpochCheckpoints {
  static final String STATE_FILE = "state.json";
  private static final String ARRAYS = "arrays.safetensors";
  private static final String PREFIX = "epoch-";
  private static final Logger LOG = LoggerFactory.getLogger(EpochCheckpoints.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;

  /** Epoch checkpoints kept in {@code dir} (created on the first save). */
  public EpochCheckpoints(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  /** A saved epoch: its folder, the epochs finished, the JSON state and the named byte blobs. */
  public record Saved(Path folder, int epochs, Map<String, Object> state, Map<String, byte[]> blobs) {
    /** The saved arrays by name, read onto {@code manager}. */
    public Map<String, NDArray> arrays(NDManager manager) throws IOException {
      return SafeTensors.read(manager, folder.resolve(ARRAYS));
    }
  }

  /**
   * Saves the state after {@code epochs} finished epochs and drops older ones: named arrays
   * (weights, optimiser moments), a JSON-able state map and opaque blobs. {@code identity} (what
   * makes two trainings the same, e.g. pairs and steps) is checked on load, so a folder is never
   * resumed into a different training.
   */
  public void save(int epochs, Map<String, NDArray> arrays, Map<String, Object> state, Map<String, byte[]> blobs,
      String identity) throws IOException {
    Files.createDirectories(dir);
    Path tmp = Files.createTempDirectory(dir, ".tmp-" + PREFIX + epochs + "-");
    try {
      SafeTensors.write(tmp.resolve(ARRAYS), arrays);
      Map<String, Object> all = new LinkedHashMap<>();
      all.put("identity", identity);
      all.put("epochs", epochs);
      all.put("state", state);
      for (Map.Entry<String, byte[]> e : blobs.entrySet()) {
        Files.write(tmp.resolve(e.getKey() + ".bin"), e.getValue());
      }
      all.put("blobs", List.copyOf(blobs.keySet()));
      Map<String, String> sums = new TreeMap<>();
      try (Stream<Path> files = Files.list(tmp)) {
        for (Path f : files.toList()) {
          sums.put(f.getFileName().toString(), sha256(f));
        }
      }
      all.put("sha256", sums);
      // written last: a folder without it is never taken for a finished epoch
      Files.write(tmp.resolve(STATE_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(all));
      Path target = dir.resolve(PREFIX + epochs);
      deleteTree(target);
      move(tmp, target);
    } catch (IOException | RuntimeException e) {
      deleteTree(tmp);
      throw e;
    }
    for (Path old : epochFolders()) {
      if (!old.getFileName().toString().equals(PREFIX + epochs)) {
        deleteTree(old);
      }
    }
  }

  /** The newest saved epoch of the training {@code identity} whose files all match their digests. */
  public Optional<Saved> latest(String identity) throws IOException {
    List<Path> folders = epochFolders();
    folders.sort(Comparator.comparingInt(EpochCheckpoints::epochOf).reversed());
    for (Path folder : folders) {
      Optional<Saved> saved = read(folder, identity);
      if (saved.isPresent()) {
        return saved;
      }
    }
    return Optional.empty();
  }

  /** The arrays of {@code all} whose names start with {@code prefix}, without it. */
  public static Map<String, NDArray> withPrefix(Map<String, NDArray> all, String prefix) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    all.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        out.put(k.substring(prefix.length()), v);
      }
    });
    return out;
  }

  /** {@code arrays} with every name prefixed, into {@code into}. */
  public static void putPrefixed(Map<String, NDArray> into, String prefix, Map<String, NDArray> arrays) {
    arrays.forEach((k, v) -> into.put(prefix + k, v));
  }

  /** Removes every saved epoch (after the finished training has been stored). */
  public void clear() throws IOException {
    deleteTree(dir);
  }

  private Optional<Saved> read(Path folder, String identity) throws IOException {
    Path stateFile = folder.resolve(STATE_FILE);
    if (!Files.isRegularFile(stateFile)) {
      return Optional.empty();
    }
    Map<?, ?> state;
    try {
      state = JSON.readValue(stateFile.toFile(), Map.class);
    } catch (IOException e) {
      LOG.warn("{} is unreadable ({}); not resuming from it", stateFile, e.getMessage());
      return Optional.empty();
    }
    if (!identity.equals(state.get("identity"))) {
      LOG.warn("{} belongs to another training ({}, not {}); not resuming from it", folder, state.get("identity"), identity);
      return Optional.empty();
    }
    Map<?, ?> sums = (Map<?, ?>) state.get("sha256");
    for (Map.Entry<?, ?> e : sums.entrySet()) {
      Path f = folder.resolve(e.getKey().toString());
      if (!Files.isRegularFile(f) || !sha256(f).equals(e.getValue())) {
        LOG.warn("{} does not match the digest in {}; not resuming from it", f, stateFile);
        return Optional.empty();
      }
    }
    Map<String, byte[]> blobs = new LinkedHashMap<>();
    for (Object name : (List<?>) state.get("blobs")) {
      blobs.put(name.toString(), Files.readAllBytes(folder.resolve(name + ".bin")));
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> own = (Map<String, Object>) state.get("state");
    return Optional.of(new Saved(folder, ((Number) state.get("epochs")).intValue(), own, blobs));
  }

  private List<Path> epochFolders() throws IOException {
    if (!Files.isDirectory(dir)) {
      return new ArrayList<>();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return new ArrayList<>(list.filter(p -> p.getFileName().toString().matches(PREFIX + "\\d+") && Files.isDirectory(p)).toList());
    }
  }

  private static int epochOf(Path folder) {
    return Integer.parseInt(folder.getFileName().toString().substring(PREFIX.length()));
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return DigestUtils.sha256Hex(in);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
