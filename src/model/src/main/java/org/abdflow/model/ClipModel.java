package org.abdflow.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.abdflow.api.Nullable;
import org.abdflow.model.nn.ClipBlock;
import org.abdflow.model.nn.StateEntry;
import org.abdflow.model.text.Tokenizer;

/**
 * A CLIP model: the {@link ClipBlock} network, its parameters on one manager, its config and
 * tokenizer. Parameters require no gradient outside training, so inference records no graph;
 * {@link org.abdflow.model.train.ClipTrainer} switches gradients on for the parameters while it
 * runs. Inference ({@code training = false}) may run on several threads at once, each with its
 * own input manager; training (which updates BatchNorm statistics in place) must not overlap with
 * any other use of the same model.
 */
public final class ClipModel implements AutoCloseable {
  /** Files of a checkpoint folder. */
  public static final String CONFIG_FILE = "config.json";

  public static final String TOKENIZER_FILE = "tokenizer.json";
  public static final String WEIGHTS_FILE = "model.safetensors";

  private final ClipConfig config;
  private final Tokenizer tokenizer;
  private final NDManager manager;
  private final ClipBlock block;
  private final ParameterStore parameterStore;
  private final Map<String, StateEntry> state;

  private ClipModel(ClipConfig config, @Nullable Tokenizer tokenizer) {
    this(config, tokenizer, Device.cpu());
  }

  private ClipModel(ClipConfig config, @Nullable Tokenizer tokenizer, Device device) {
    this.config = config;
    this.tokenizer = tokenizer;
    this.manager = NDManager.newBaseManager(device);
    this.manager.setName("clip-model");
    this.block = new ClipBlock(config);
    this.parameterStore = new ParameterStore(manager, false);
    this.state = block.stateDict();
  }

  /**
   * A freshly initialised model (OpenAI's initialisation) whose parameters depend only on
   * {@code seed}. The config's vocabulary size is replaced by the tokenizer's; without a tokenizer
   * (null: only token ids will be fed) the config's stays.
   */
  public static ClipModel create(ClipConfig config, @Nullable Tokenizer tokenizer, long seed) {
    return create(config, tokenizer, seed, Device.cpu());
  }

  /** {@link #create(ClipConfig, Tokenizer, long)} with the parameters on {@code device} (see {@link Devices}). */
  public static ClipModel create(ClipConfig config, @Nullable Tokenizer tokenizer, long seed, Device device) {
    ClipConfig c = tokenizer == null ? config : matchTokenizer(config, tokenizer);
    ClipModel m = new ClipModel(c, tokenizer, device);
    try {
      m.block.initialize(m.manager, seed);
      m.warmUp();
      return m;
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  /**
   * A model whose parameters are read from a safetensors file keyed by OpenAI's state-dict names,
   * or by Hugging Face {@code transformers}' (detected from the keys, {@link StateDictLayout}).
   * Every missing, unexpected or wrongly shaped tensor is reported at once, by key and shapes
   * (BatchNorm's {@code num_batches_tracked} and OpenAI's scalar metadata are ignored). The
   * tokenizer may be null when only token ids will be fed.
   */
  public static ClipModel fromStateDict(ClipConfig config, @Nullable Tokenizer tokenizer, Path weights)
      throws IOException {
    return fromStateDict(config, tokenizer, weights, Device.cpu());
  }

  /** {@link #fromStateDict(ClipConfig, Tokenizer, Path)} with the parameters on {@code device}. */
  public static ClipModel fromStateDict(ClipConfig config, @Nullable Tokenizer tokenizer, Path weights, Device device)
      throws IOException {
    ClipConfig c = tokenizer == null ? config : matchTokenizer(config, tokenizer);
    ClipModel m = new ClipModel(c, tokenizer, device);
    try {
      m.assign(SafeTensors.read(m.manager, weights), weights.toString());
      m.warmUp();
      return m;
    } catch (IOException | RuntimeException e) {
      m.close();
      throw e;
    }
  }

  /** Loads a checkpoint folder written by {@link #save(Path)}. */
  public static ClipModel load(Path dir) throws IOException {
    return load(dir, Device.cpu());
  }

  /** {@link #load(Path)} with the parameters on {@code device}. */
  public static ClipModel load(Path dir, Device device) throws IOException {
    ClipConfig config = ClipConfig.read(dir.resolve(CONFIG_FILE));
    Path tok = dir.resolve(TOKENIZER_FILE);
    Tokenizer tokenizer = Files.exists(tok) ? Tokenizer.load(tok) : null;
    return fromStateDict(config, tokenizer, dir.resolve(WEIGHTS_FILE), device);
  }

  private static ClipConfig matchTokenizer(ClipConfig config, Tokenizer tokenizer) {
    if (tokenizer.contextLength() != config.contextLength()) {
      throw new IllegalArgumentException(
          "tokenizer context " + tokenizer.contextLength() + " differs from the model's " + config.contextLength());
    }
    return config.vocabSize() == tokenizer.vocabSize()
        ? config
        : config.toBuilder().setVocabSize(tokenizer.vocabSize()).build();
  }

  /** Keys an OpenAI or open_clip state dict may carry that are not parameters (OpenAI's build_model drops them too). */
  private static boolean ignorable(String key) {
    return key.endsWith("num_batches_tracked") || key.equals("input_resolution") || key.equals("context_length")
        || key.equals("vocab_size") || key.endsWith("position_ids");
  }

  private void assign(Map<String, NDArray> arrays, String source) {
    Map<String, NDArray> given = StateDictLayout.detect(arrays.keySet()).toOpenAi(arrays, source);
    List<String> missing = new ArrayList<>();
    List<String> wrongShape = new ArrayList<>();
    for (Map.Entry<String, StateEntry> e : state.entrySet()) {
      NDArray a = given.remove(e.getKey());
      if (a == null) {
        missing.add(e.getKey() + " " + e.getValue().shape());
      } else if (!a.getShape().equals(e.getValue().shape())) {
        wrongShape.add(e.getKey() + ": the model's is " + e.getValue().shape() + ", the file's " + a.getShape());
      } else {
        e.getValue().assign(a.getDataType() == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, false));
      }
    }
    List<String> unexpected = new ArrayList<>();
    for (Map.Entry<String, NDArray> e : given.entrySet()) {
      if (!ignorable(e.getKey())) {
        unexpected.add(e.getKey() + " " + e.getValue().getShape());
      }
    }
    if (!missing.isEmpty() || !unexpected.isEmpty() || !wrongShape.isEmpty()) {
      StringBuilder msg = new StringBuilder(source).append(" does not fit ").append(config).append(':');
      if (!wrongShape.isEmpty()) {
        msg.append("\n  wrong shape (").append(wrongShape.size()).append("): ").append(String.join("; ", wrongShape));
      }
      if (!missing.isEmpty()) {
        msg.append("\n  missing (").append(missing.size()).append("): ").append(String.join(", ", missing));
      }
      if (!unexpected.isEmpty()) {
        msg.append("\n  unexpected (").append(unexpected.size()).append("): ").append(String.join(", ", unexpected));
      }
      throw new IllegalArgumentException(msg.toString());
    }
  }

  // Fills the parameter store's cache once, so that concurrent inference only reads it.
  private void warmUp() {
    for (StateEntry e : state.values()) {
      parameterStore.getValue(e.parameter(), manager.getDevice(), false);
    }
  }

  /**
   * Writes a checkpoint folder ({@value #CONFIG_FILE}, {@value #TOKENIZER_FILE},
   * {@value #WEIGHTS_FILE} with OpenAI's names). It is written next to {@code dir} and renamed into
   * place, so a crash never leaves a half-written checkpoint under {@code dir}.
   */
  public void save(Path dir) throws IOException {
    Path target = dir.toAbsolutePath();
    Path parent = target.getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".tmp-");
    try {
      config.write(tmp.resolve(CONFIG_FILE));
      if (tokenizer != null) {
        tokenizer.save(tmp.resolve(TOKENIZER_FILE));
      }
      saveStateDict(tmp.resolve(WEIGHTS_FILE));
      if (Files.exists(target)) {
        // a directory cannot be replaced atomically: move the old one aside first
        Path old = Files.createTempDirectory(parent, "." + target.getFileName() + ".old-");
        Files.delete(old);
        move(target, old);
        move(tmp, target);
        deleteTree(old);
      } else {
        move(tmp, target);
      }
    } catch (IOException | RuntimeException e) {
      deleteTree(tmp);
      throw e;
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * Overwrites every parameter's values with those of {@code arrays} (as {@link #saveStateDict}
   * writes them), in place: the arrays keep their identity, so an optimiser holding them stays
   * valid. Every key must be present with the model's shape.
   */
  public void copyStateFrom(Map<String, NDArray> arrays, String source) {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, StateEntry> e : state.entrySet()) {
      NDArray a = arrays.get(e.getKey());
      if (a == null || !a.getShape().equals(e.getValue().shape())) {
        problems.add(e.getKey() + (a == null ? " missing" : ": the model's is " + e.getValue().shape() + ", the file's " + a.getShape()));
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(source + " does not fit " + config + ": " + String.join("; ", problems));
    }
    try (Autograd off = Autograd.disabled()) {
      for (Map.Entry<String, StateEntry> e : state.entrySet()) {
        e.getValue().copyValuesFrom(arrays.get(e.getKey()));
      }
    }
  }

  /** Writes the parameters alone, keyed by OpenAI's state-dict names. */
  public void saveStateDict(Path file) throws IOException {
    Map<String, NDArray> arrays = new LinkedHashMap<>();
    state.forEach((k, e) -> arrays.put(k, e.array()));
    SafeTensors.write(file, arrays);
  }

  public ClipConfig config() {
    return config;
  }

  /** The tokenizer; null for a model built from weights alone. */
  public Tokenizer tokenizer() {
    return tokenizer;
  }

  /** The manager that owns the parameters (close the model, not this). */
  public NDManager manager() {
    return manager;
  }

  public ClipBlock block() {
    return block;
  }

  public ParameterStore parameterStore() {
    return parameterStore;
  }

  /** Every parameter and buffer by OpenAI's state-dict name. */
  public Map<String, StateEntry> stateDict() {
    return state;
  }

  /** The batcher that turns images into this model's input. */
  public ImageBatcher imageBatcher() {
    return new ImageBatcher(config);
  }

  /** Number of trainable values. */
  public long parameterCount() {
    long n = 0;
    for (StateEntry e : state.values()) {
      n += e.trainable() ? e.shape().size() : 0;
    }
    return n;
  }

  /**
   * Image features, N×embed, not normalised. {@code pixels}: N×3×R×R, normalised (see {@link
   * ImageBatcher}); the result and every intermediate belong to their manager, so feed arrays of a
   * short-lived manager. {@code training} selects BatchNorm's batch statistics (and updates the
   * running ones). A graph is recorded only under {@link Autograd#enabled()} and for arrays that
   * require gradients.
   */
  public NDArray encodeImages(NDArray pixels, boolean training) {
    return block.visual().forward(parameterStore, pixels, training);
  }

  /** Text features, N×embed, not normalised, of N×context token ids (int32 or int64). */
  public NDArray encodeTexts(NDArray tokenIds, boolean training) {
    return block.text().forward(parameterStore, tokenIds, training);
  }

  /**
   * The learnable logit scale s (logits are exp(s)·u·v), a scalar: the parameter itself, owned by
   * the model's manager. An op on it puts its result there too; attach such results to a
   * short-lived manager.
   */
  public NDArray logitScale() {
    return block.logitScale().getArray();
  }

  public float logitScaleValue() {
    return logitScale().getFloat();
  }

  /**
   * Switches gradients on or off for every trainable parameter. Off (the default) makes inference
   * cheap on any thread; loops other than {@code ClipTrainer} that train the model switch it on.
   */
  public void setRequiresGradient(boolean on) {
    for (StateEntry e : state.values()) {
      if (e.trainable()) {
        e.array().setRequiresGradient(on);
      }
    }
  }

  /** An independent copy (same config and tokenizer, parameters copied to a new manager). */
  public ClipModel copy() {
    ClipModel m = new ClipModel(config, tokenizer);
    try (Autograd off = Autograd.disabled()) {
      for (Map.Entry<String, StateEntry> e : state.entrySet()) {
        NDArray a = e.getValue().array().duplicate();
        a.attach(m.manager);
        m.state.get(e.getKey()).assign(a);
      }
      m.warmUp();
      return m;
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  @Override
  public void close() {
    manager.close();
  }

  @Override
  public String toString() {
    return "ClipModel[" + config + ", " + parameterCount() + " parameters]";
  }

}
