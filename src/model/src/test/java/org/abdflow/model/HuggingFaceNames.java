package org.abdflow.model;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Test helper: an OpenAI-named ViT CLIP state dict renamed the way Hugging Face transformers'
 * CLIPModel names it (written from transformers' modeling_clip layout, independently of {@link
 * StateDictLayout}): in_proj split into q/k/v, projections transposed.
 */
final class HuggingFaceNames {
  private HuggingFaceNames() {}

  static Map<String, NDArray> of(Map<String, NDArray> openAi) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : openAi.entrySet()) {
      String k = e.getKey();
      NDArray a = e.getValue();
      String tower = k.startsWith("visual.") ? "vision_model" : "text_model";
      String rest = k.startsWith("visual.") ? k.substring("visual.".length()) : k;
      if (rest.startsWith("transformer.resblocks.")) {
        String[] p = rest.split("\\.", 4); // transformer, resblocks, i, tail
        String prefix = tower + ".encoder.layers." + p[2] + ".";
        String tail = p[3];
        if (tail.startsWith("attn.in_proj_")) {
          String kind = tail.substring("attn.in_proj_".length());
          long d = a.getShape().get(0) / 3;
          out.put(prefix + "self_attn.q_proj." + kind, a.get("0:" + d));
          out.put(prefix + "self_attn.k_proj." + kind, a.get(d + ":" + 2 * d));
          out.put(prefix + "self_attn.v_proj." + kind, a.get(2 * d + ":"));
        } else {
          out.put(prefix + tail.replace("attn.out_proj", "self_attn.out_proj").replace("ln_1", "layer_norm1").replace("ln_2", "layer_norm2")
              .replace("mlp.c_fc", "mlp.fc1").replace("mlp.c_proj", "mlp.fc2"), a);
        }
        continue;
      }
      switch (k) {
        case "token_embedding.weight" -> out.put("text_model.embeddings.token_embedding.weight", a);
        case "positional_embedding" -> out.put("text_model.embeddings.position_embedding.weight", a);
        case "ln_final.weight" -> out.put("text_model.final_layer_norm.weight", a);
        case "ln_final.bias" -> out.put("text_model.final_layer_norm.bias", a);
        case "text_projection" -> out.put("text_projection.weight", a.transpose());
        case "logit_scale" -> out.put("logit_scale", a);
        case "visual.class_embedding" -> out.put("vision_model.embeddings.class_embedding", a);
        case "visual.conv1.weight" -> out.put("vision_model.embeddings.patch_embedding.weight", a);
        case "visual.positional_embedding" -> out.put("vision_model.embeddings.position_embedding.weight", a);
        case "visual.ln_pre.weight" -> out.put("vision_model.pre_layrnorm.weight", a);
        case "visual.ln_pre.bias" -> out.put("vision_model.pre_layrnorm.bias", a);
        case "visual.ln_post.weight" -> out.put("vision_model.post_layernorm.weight", a);
        case "visual.ln_post.bias" -> out.put("vision_model.post_layernorm.bias", a);
        case "visual.proj" -> out.put("visual_projection.weight", a.transpose());
        default -> throw new IllegalArgumentException("no Hugging Face name for " + k);
      }
    }
    out.put("text_model.embeddings.position_ids", openAi.get("positional_embedding").getManager().arange(0, 16).toType(ai.djl.ndarray.types.DataType.INT64, false).reshape(1, 16));
    return out;
  }
}
