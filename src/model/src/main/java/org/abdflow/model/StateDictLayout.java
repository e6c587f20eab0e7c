package org.abdflow.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The key names a CLIP state dict comes with: OpenAI's ({@code visual.conv1.weight}, the names
 * open_clip publishes OpenAI's weights under, and the ones this framework saves), or Hugging Face
 * {@code transformers}' {@code CLIPModel} ({@code vision_model.embeddings.patch_embedding.weight};
 * ViT only, as transformers has no ModifiedResNet). Hugging Face's separate q/k/v projections are
 * concatenated into OpenAI's {@code in_proj}, its projection matrices transposed.
 */
public enum StateDictLayout {
  OPENAI {
    @Override
    public Map<String, NDArray> toOpenAi(Map<String, NDArray> arrays, String source) {
      return new LinkedHashMap<>(arrays);
    }
  },
  HUGGING_FACE {
    @Override
    public Map<String, NDArray> toOpenAi(Map<String, NDArray> arrays, String source) {
      Map<String, NDArray> out = new LinkedHashMap<>();
      Map<String, NDArray[]> qkv = new LinkedHashMap<>();
      for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
        String key = e.getKey();
        NDArray a = e.getValue();
        Matcher attn = QKV.matcher(key);
        if (attn.matches()) {
          String target = tower(attn.group(1)) + "transformer.resblocks." + attn.group(2) + ".attn.in_proj_" + attn.group(4);
          int slot = "qkv".indexOf(attn.group(3));
          qkv.computeIfAbsent(target, k -> new NDArray[3])[slot] = a;
          continue;
        }
        Matcher layer = LAYER.matcher(key);
        if (layer.matches()) {
          String part = LAYER_PARTS.getOrDefault(layer.group(3), layer.group(3));
          out.put(tower(layer.group(1)) + "transformer.resblocks." + layer.group(2) + "." + part + layer.group(4), a);
          continue;
        }
        String direct = DIRECT.get(key);
        if (direct != null) {
          out.put(direct, key.endsWith("projection.weight") ? a.transpose() : a);
          continue;
        }
        out.put(key, a); // left for the model's check to report as unexpected (or to ignore)
      }
      for (Map.Entry<String, NDArray[]> e : qkv.entrySet()) {
        NDArray[] parts = e.getValue();
        List<String> lacking = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          if (parts[i] == null) {
            lacking.add("qkv".charAt(i) + "_proj");
          }
        }
        if (!lacking.isEmpty()) {
          throw new IllegalArgumentException(source + ": " + e.getKey() + " needs q, k and v projections; " + lacking + " missing");
        }
        out.put(e.getKey(), ai.djl.ndarray.NDArrays.concat(new NDList(parts[0], parts[1], parts[2]), 0));
      }
      return out;
    }
  };

  private static final Pattern QKV = Pattern.compile("(text_model|vision_model)\\.encoder\\.layers\\.(\\d+)\\.self_attn\\.([qkv])_proj\\.(weight|bias)");
  private static final Pattern LAYER = Pattern.compile("(text_model|vision_model)\\.encoder\\.layers\\.(\\d+)\\.(self_attn\\.out_proj|layer_norm1|layer_norm2|mlp\\.fc1|mlp\\.fc2)(\\..+)");
  private static final Map<String, String> LAYER_PARTS = Map.of(
      "self_attn.out_proj", "attn.out_proj", "layer_norm1", "ln_1", "layer_norm2", "ln_2", "mlp.fc1", "mlp.c_fc", "mlp.fc2", "mlp.c_proj");
  private static final Map<String, String> DIRECT = Map.ofEntries(
      Map.entry("text_model.embeddings.token_embedding.weight", "token_embedding.weight"),
      Map.entry("text_model.embeddings.position_embedding.weight", "positional_embedding"),
      Map.entry("text_model.final_layer_norm.weight", "ln_final.weight"),
      Map.entry("text_model.final_layer_norm.bias", "ln_final.bias"),
      Map.entry("vision_model.embeddings.class_embedding", "visual.class_embedding"),
      Map.entry("vision_model.embeddings.patch_embedding.weight", "visual.conv1.weight"),
      Map.entry("vision_model.embeddings.position_embedding.weight", "visual.positional_embedding"),
      Map.entry("vision_model.pre_layrnorm.weight", "visual.ln_pre.weight"),
      Map.entry("vision_model.pre_layrnorm.bias", "visual.ln_pre.bias"),
      Map.entry("vision_model.post_layernorm.weight", "visual.ln_post.weight"),
      Map.entry("vision_model.post_layernorm.bias", "visual.ln_post.bias"),
      Map.entry("visual_projection.weight", "visual.proj"),
      Map.entry("text_projection.weight", "text_projection"),
      Map.entry("logit_scale", "logit_scale"));

  private static String tower(String hfTower) {
    return hfTower.equals("vision_model") ? "visual." : "";
  }

  /** The state dict under OpenAI's names; arrays that need no change are passed through. */
  public abstract Map<String, NDArray> toOpenAi(Map<String, NDArray> arrays, String source);

  /** Hugging Face's when any key starts with its tower names, OpenAI's otherwise. */
  public static StateDictLayout detect(Collection<String> keys) {
    for (String k : keys) {
      if (k.startsWith("vision_model.") || k.startsWith("text_model.")) {
        return HUGGING_FACE;
      }
    }
    return OPENAI;
  }
}
