package org.abdflow.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.auto.value.AutoValue;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.abdflow.api.Nullable;

/**
 * The shape of a CLIP model, in the terms of OpenAI's {@code CLIP(...)} constructor, plus the
 * image preprocessing that goes with its weights. Four vision layer counts make a ModifiedResNet
 * image tower, one makes a ViT.
 */
@AutoValue
public abstract class ClipConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  /** CLIP's published preprocessing statistics (ImageNet-like RGB). */
  public static final List<Float> CLIP_MEAN = List.of(0.48145466f, 0.4578275f, 0.40821073f);

  public static final List<Float> CLIP_STD = List.of(0.26862954f, 0.26130258f, 0.27577711f);

  /** Fashion-MNIST's grey-level statistics, replicated on the three channels. */
  public static final List<Float> FASHION_MEAN = List.of(0.2860f, 0.2860f, 0.2860f);

  public static final List<Float> FASHION_STD = List.of(0.3530f, 0.3530f, 0.3530f);

  /** Names {@link #preset(String)} knows. */
  public static final List<String> PRESETS = List.of("clip-tiny", "clip-tiny-vit", "RN50", "ViT-B/32");

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Width of the joint embedding space. */
  public abstract int embedDim();

  /** Side of the square input image. */
  public abstract int imageResolution();

  /** Four block counts for a ModifiedResNet, or a single depth for a ViT. */
  public abstract List<Integer> visionLayers();

  public abstract int visionWidth();

  /** Patch side of a ViT; absent for a ModifiedResNet. */
  @Nullable
  public abstract Integer visionPatchSize();

  /** Attention heads of the image tower (ViT blocks, or the ResNet's attention pool). */
  public abstract int visionHeads();

  public abstract int contextLength();

  public abstract int vocabSize();

  public abstract int transformerWidth();

  public abstract int transformerHeads();

  public abstract int transformerLayers();

  /** Per-channel mean subtracted from pixels in [0, 1] (RGB order). */
  public abstract List<Float> imageMean();

  /** Per-channel standard deviation pixels are divided by (RGB order). */
  public abstract List<Float> imageStd();

  /** How images of other sizes become {@link #imageResolution()} squares. */
  public abstract Preprocess preprocess();

  public abstract Builder toBuilder();

  /** How an image of any size becomes the model's square input. */
  public enum Preprocess {
    /** OpenAI's: the shorter side resized to the resolution (bicubic, as Pillow), then the centre square. */
    CLIP,
    /** Both sides resized to the resolution (antialiased bilinear), aspect not kept: for small square data such as Fashion-MNIST. */
    STRETCH;

    String jsonName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    static Preprocess fromJson(String v) {
      for (Preprocess p : values()) {
        if (p.jsonName().equals(v)) {
          return p;
        }
      }
      throw new IllegalArgumentException("model config: preprocess must be clip or stretch, not '" + v + "'");
    }
  }

  /** Whether the image tower is a ModifiedResNet (else a ViT). */
  public boolean isResNet() {
    return visionLayers().size() == 4;
  }

  /** OpenAI's default head count for an image tower: width·32/64 for a ResNet, width/64 for a ViT. */
  public static int defaultVisionHeads(List<Integer> visionLayers, int visionWidth) {
    int heads = visionLayers.size() == 4 ? visionWidth * 32 / 64 : visionWidth / 64;
    return Math.max(1, heads);
  }

  public static Builder builder() {
    return new AutoValue_ClipConfig.Builder()
        .setPreprocess(Preprocess.CLIP)
        .setImageMean(CLIP_MEAN)
        .setImageStd(CLIP_STD);
  }

  /**
   * A named configuration: {@code clip-tiny} (the demo's ModifiedResNet, shared/EXPERIMENTS.md),
   * {@code clip-tiny-vit} (a ViT of similar size, for tests of that path), and OpenAI's {@code RN50}
   * and {@code ViT-B/32}. The tiny presets' vocabulary size is a placeholder a tokenizer replaces.
   */
  public static ClipConfig preset(String name) {
    switch (name) {
      case "clip-tiny":
        return builder()
            .setEmbedDim(64)
            .setImageResolution(32)
            .setVisionLayers(List.of(1, 1, 1, 1))
            .setVisionWidth(16)
            .setContextLength(16)
            .setVocabSize(128)
            .setTransformerWidth(64)
            .setTransformerHeads(2)
            .setTransformerLayers(2)
            .setImageMean(FASHION_MEAN)
            .setImageStd(FASHION_STD)
            .setPreprocess(Preprocess.STRETCH)
            .build();
      case "clip-tiny-vit":
        return builder()
            .setEmbedDim(64)
            .setImageResolution(32)
            .setVisionLayers(List.of(3))
            .setVisionWidth(96)
            .setVisionPatchSize(4)
            // width/64 would give one head; two exercise the multi-head path at this size
            .setVisionHeads(2)
            .setContextLength(16)
            .setVocabSize(128)
            .setTransformerWidth(64)
            .setTransformerHeads(2)
            .setTransformerLayers(2)
            .setImageMean(FASHION_MEAN)
            .setImageStd(FASHION_STD)
            .setPreprocess(Preprocess.STRETCH)
            .build();
      case "RN50":
        return builder()
            .setEmbedDim(1024)
            .setImageResolution(224)
            .setVisionLayers(List.of(3, 4, 6, 3))
            .setVisionWidth(64)
            .setContextLength(77)
            .setVocabSize(49408)
            .setTransformerWidth(512)
            .setTransformerHeads(8)
            .setTransformerLayers(12)
            .build();
      case "ViT-B/32":
        return builder()
            .setEmbedDim(512)
            .setImageResolution(224)
            .setVisionLayers(List.of(12))
            .setVisionWidth(768)
            .setVisionPatchSize(32)
            .setContextLength(77)
            .setVocabSize(49408)
            .setTransformerWidth(512)
            .setTransformerHeads(8)
            .setTransformerLayers(12)
            .build();
      default:
        throw new IllegalArgumentException("unknown model preset '" + name + "' (known: " + PRESETS + ")"
            + org.abdflow.api.config.DidYouMean.suggestion(name, PRESETS));
    }
  }

  /** This config as JSON with OpenAI's constructor names, plus the heads and preprocessing. */
  public String toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("embed_dim", embedDim());
    o.put("image_resolution", imageResolution());
    if (isResNet()) {
      ArrayNode layers = o.putArray("vision_layers");
      visionLayers().forEach(layers::add);
    } else {
      o.put("vision_layers", visionLayers().get(0));
    }
    o.put("vision_width", visionWidth());
    if (visionPatchSize() == null) {
      o.putNull("vision_patch_size");
    } else {
      o.put("vision_patch_size", visionPatchSize());
    }
    o.put("context_length", contextLength());
    o.put("vocab_size", vocabSize());
    o.put("transformer_width", transformerWidth());
    o.put("transformer_heads", transformerHeads());
    o.put("transformer_layers", transformerLayers());
    o.put("vision_heads", visionHeads());
    ArrayNode mean = o.putArray("image_mean");
    imageMean().forEach(mean::add);
    ArrayNode std = o.putArray("image_std");
    imageStd().forEach(std::add);
    o.put("preprocess", preprocess().jsonName());
    try {
      return JSON.writeValueAsString(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads OpenAI's constructor JSON (as {@code shared/clip/conformance/*.json} holds it). Missing
   * {@code vision_heads} is derived as OpenAI does; missing mean/std and preprocessing default to
   * CLIP's.
   */
  public static ClipConfig fromJson(String json) {
    JsonNode o;
    try {
      o = JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("model config is not JSON: " + e.getMessage(), e);
    }
    Builder b = builder();
    b.setEmbedDim(required(o, "embed_dim").asInt());
    b.setImageResolution(required(o, "image_resolution").asInt());
    JsonNode layers = required(o, "vision_layers");
    List<Integer> visionLayers = new ArrayList<>();
    if (layers.isArray()) {
      layers.forEach(n -> visionLayers.add(n.asInt()));
    } else {
      visionLayers.add(layers.asInt());
    }
    b.setVisionLayers(visionLayers);
    b.setVisionWidth(required(o, "vision_width").asInt());
    JsonNode patch = o.get("vision_patch_size");
    if (patch != null && !patch.isNull()) {
      b.setVisionPatchSize(patch.asInt());
    }
    b.setContextLength(required(o, "context_length").asInt());
    b.setVocabSize(required(o, "vocab_size").asInt());
    b.setTransformerWidth(required(o, "transformer_width").asInt());
    b.setTransformerHeads(required(o, "transformer_heads").asInt());
    b.setTransformerLayers(required(o, "transformer_layers").asInt());
    if (o.hasNonNull("vision_heads")) {
      b.setVisionHeads(o.get("vision_heads").asInt());
    }
    if (o.hasNonNull("image_mean")) {
      b.setImageMean(floats(o.get("image_mean")));
    }
    if (o.hasNonNull("image_std")) {
      b.setImageStd(floats(o.get("image_std")));
    }
    if (o.hasNonNull("preprocess")) {
      b.setPreprocess(Preprocess.fromJson(o.get("preprocess").asText()));
    }
    return b.build();
  }

  public static ClipConfig read(Path file) throws IOException {
    return fromJson(Files.readString(file, StandardCharsets.UTF_8));
  }

  public void write(Path file) throws IOException {
    Files.writeString(file, toJson(), StandardCharsets.UTF_8);
  }

  private static JsonNode required(JsonNode o, String key) {
    JsonNode n = o.get(key);
    if (n == null || n.isNull()) {
      throw new IllegalArgumentException("model config lacks '" + key + "'");
    }
    return n;
  }

  private static List<Float> floats(JsonNode array) {
    List<Float> out = new ArrayList<>();
    array.forEach(n -> out.add((float) n.asDouble()));
    return out;
  }

  /** Builds a {@link ClipConfig}; {@code visionHeads} defaults to OpenAI's derivation. */
  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setEmbedDim(int v);

    public abstract Builder setImageResolution(int v);

    public abstract Builder setVisionLayers(List<Integer> v);

    public abstract Builder setVisionWidth(int v);

    public abstract Builder setVisionPatchSize(@Nullable Integer v);

    public abstract Builder setVisionHeads(int v);

    public abstract Builder setContextLength(int v);

    public abstract Builder setVocabSize(int v);

    public abstract Builder setTransformerWidth(int v);

    public abstract Builder setTransformerHeads(int v);

    public abstract Builder setTransformerLayers(int v);

    public abstract Builder setImageMean(List<Float> v);

    public abstract Builder setImageStd(List<Float> v);

    public abstract Builder setPreprocess(Preprocess v);

    abstract Optional<Integer> visionHeads();

    abstract List<Integer> visionLayers();

    abstract int visionWidth();

    abstract ClipConfig autoBuild();

    public ClipConfig build() {
      if (visionHeads().isEmpty()) {
        setVisionHeads(defaultVisionHeads(visionLayers(), visionWidth()));
      }
      setVisionLayers(List.copyOf(visionLayers()));
      ClipConfig c = autoBuild();
      c.validate();
      return c;
    }
  }

  private void validate() {
    List<String> problems = new ArrayList<>();
    int n = visionLayers().size();
    if (n != 1 && n != 4) {
      problems.add("vision_layers needs 4 entries (ModifiedResNet) or 1 (ViT), got " + visionLayers());
    }
    if (n == 1 && (visionPatchSize() == null || visionPatchSize() <= 0)) {
      problems.add("a ViT needs vision_patch_size");
    }
    if (n == 1 && visionPatchSize() != null && imageResolution() % visionPatchSize() != 0) {
      problems.add("image_resolution " + imageResolution() + " is not a multiple of the patch " + visionPatchSize());
    }
    if (n == 4 && imageResolution() % 32 != 0) {
      problems.add("a ModifiedResNet needs image_resolution divisible by 32, got " + imageResolution());
    }
    int visionAttnWidth = n == 4 ? visionWidth() * 32 : visionWidth();
    if (visionHeads() <= 0 || visionAttnWidth % visionHeads() != 0) {
      problems.add("vision width " + visionAttnWidth + " does not split into " + visionHeads() + " heads");
    }
    if (transformerHeads() <= 0 || transformerWidth() % transformerHeads() != 0) {
      problems.add("transformer_width " + transformerWidth() + " does not split into " + transformerHeads() + " heads");
    }
    if (embedDim() <= 0 || contextLength() < 2 || vocabSize() < 2 || transformerLayers() < 0) {
      problems.add("embed_dim, context_length, vocab_size must be positive");
    }
    if (imageMean().size() != 3 || imageStd().size() != 3) {
      problems.add("image_mean and image_std need 3 values each");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  @Override
  public final String toString() {
    return String.format(
        Locale.ROOT,
        "ClipConfig[%s %s w%d%s heads%d, %dpx, embed %d, text %dx%d h%d ctx%d vocab%d]",
        isResNet() ? "RN" : "ViT",
        visionLayers(),
        visionWidth(),
        isResNet() ? "" : " p" + visionPatchSize(),
        visionHeads(),
        imageResolution(),
        embedDim(),
        transformerWidth(),
        transformerLayers(),
        transformerHeads(),
        contextLength(),
        vocabSize());
  }
}
