package org.abdflow.engine.stages;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.abdflow.api.config.ConfigException;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;
import org.abdflow.engine.spec.TransformSpec;
import org.abdflow.model.ClipConfig;
import org.abdflow.model.ClipModel;
import org.abdflow.model.text.BpeTokenizer;
import org.abdflow.model.text.Tokenizer;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * {@code PretrainedClip}: a published CLIP as the model other stages start from (the paper's
 * OpenAI RN50): weights in safetensors with OpenAI's key names (open_clip's layout) or Hugging Face
 * transformers' (detected), the architecture as a preset or OpenAI's constructor JSON, and CLIP's
 * BPE tokenizer from OpenAI's merges file or Hugging Face's vocab.json + merges.txt. The files are
 * checked before the run; the weights are loaded (every mismatching tensor named) and written as
 * this run's checkpoint in one bounded task.
 */
final class PretrainedClipStage implements StageType {
  static final ConfigSchema SCHEMA =
      ConfigSchema.builder()
          .addRequiredPath("weights", "the model's safetensors file (OpenAI or Hugging Face key names)")
          .addString("architecture", "RN50", "the architecture preset (" + String.join(", ", ClipConfig.PRESETS) + "), OpenAI's numbers")
          .addOptionalPath("architectureFile", "OpenAI's constructor JSON (embed_dim, vision_layers, ...) in place of the preset")
          .addRequiredPath("merges", "the BPE merges: OpenAI's bpe_simple_vocab_16e6.txt.gz, or Hugging Face's merges.txt with vocab")
          .addOptionalPath("vocab", "Hugging Face's vocab.json (token -> id); absent: the vocabulary is built from OpenAI's merges file")
          .build();

  /** The checked settings; {@code architecture} is a preset name or a JSON file's path. */
  record Config(String weights, String architecture, String merges, String vocab) implements java.io.Serializable {}

  @Override
  public String type() {
    return "PretrainedClip";
  }

  @Override
  public String description() {
    return "a published CLIP (OpenAI RN50, ViT-B/32, ...) from safetensors, with its BPE tokenizer, as a model output";
  }

  @Override
  public ConfigSchema schema() {
    return SCHEMA;
  }

  @Override
  public int minInputs() {
    return 0;
  }

  @Override
  public int maxInputs() {
    return 0;
  }

  @Override
  public Object configure(ConfigValues v) {
    String weights = existing(v, "weights");
    String merges = existing(v, "merges");
    String vocab = v.has("vocab") ? existing(v, "vocab") : null;
    String architecture = v.getString("architecture");
    if (!ClipConfig.PRESETS.contains(architecture)) {
      throw new ConfigException("architecture", "unknown preset " + architecture + " (known: " + String.join(", ", ClipConfig.PRESETS)
          + "; for another architecture give architectureFile)" + org.abdflow.api.config.DidYouMean.suggestion(architecture, ClipConfig.PRESETS));
    }
    if (v.has("architectureFile")) {
      architecture = existing(v, "architectureFile");
      try {
        ClipConfig.read(Path.of(architecture));
      } catch (IOException | IllegalArgumentException e) {
        throw new ConfigException("architectureFile", architecture + ": " + e.getMessage());
      }
    }
    return new Config(weights, architecture, merges, vocab);
  }

  private static String existing(ConfigValues v, String key) {
    String path = v.getString(key);
    if (!Files.isRegularFile(Path.of(path))) {
      throw new ConfigException(key, (Files.exists(Path.of(path)) ? "not a regular file: " : "no such file: ") + path);
    }
    return path;
  }

  @Override
  public StageOutput expand(StageContext context, TransformSpec transform, List<StageOutput> inputs) {
    String name = transform.name();
    Config config = (Config) configure(schema().parse(transform.config()));
    PCollection<String> checkpoint = context.pipeline()
        .apply(name + "/Once", Create.of(name))
        .apply(name + "/Load", ParDo.of(new LoadFn(name, config, context.layout())))
        .setCoder(StringUtf8Coder.of());
    return new StageOutput.Model(name, checkpoint, "none");
  }

  /** Loads the weights once and writes them as the run's checkpoint of this stage. */
  static final class LoadFn extends DoFn<String, String> {
    private final String stage;
    private final Config config;
    private final RunLayout layout;

    LoadFn(String stage, Config config, RunLayout layout) {
      this.stage = stage;
      this.config = config;
      this.layout = layout;
    }

    @ProcessElement
    public void process(ProcessContext c) throws IOException {
      long start = System.nanoTime();
      org.abdflow.model.ComputeThreads.use(Stages.torchThreads(c.getPipelineOptions()));
      ClipConfig architecture = ClipConfig.PRESETS.contains(config.architecture())
          ? ClipConfig.preset(config.architecture()) : ClipConfig.read(Path.of(config.architecture()));
      Tokenizer tokenizer = config.vocab() == null
          ? BpeTokenizer.openAi(Path.of(config.merges()), architecture.contextLength())
          : BpeTokenizer.huggingFace(Path.of(config.vocab()), Path.of(config.merges()), architecture.contextLength());
      Path dir = layout.stage(stage);
      Files.createDirectories(dir);
      Path checkpoint = dir.resolve("checkpoint");
      try (ClipModel model = ClipModel.fromStateDict(architecture, tokenizer, Path.of(config.weights()))) {
        model.save(checkpoint);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(stage + " (PretrainedClip): " + e.getMessage(), e);
      }
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("weights", config.weights());
      summary.put("architecture", architecture.toJson());
      summary.put("tokenizer", tokenizer.toString());
      TrainFn.writeAtomically(dir.resolve("pretrained.json"), Json.MAPPER.writeValueAsString(summary));
      StageMetrics.out(stage).inc();
      StageMetrics.worked(stage, start);
      c.output(checkpoint.toString());
    }
  }
}
