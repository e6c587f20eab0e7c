package org.abdflow.plugins.roclip;

import ai.djl.ndarray.NDArray;
import java.util.Set;
import org.abdflow.api.EmbeddingBatch;
import org.abdflow.api.InfoNce;
import org.abdflow.api.Loss;
import org.abdflow.api.Tensors;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;
import org.pf4j.Extension;

/**
 * RoCLIP (PAPER.md §3.3). On re-pairing epochs each image embedding u_i is paired with its nearest
 * caption w_i = NN(u_i) in a memory bank of past caption embeddings, taken before the batch's
 * captions are pushed; the loss is CLIP's symmetric InfoNCE over (u_i, w_i). Bank entries carry no
 * gradient, so on those epochs only the image tower and the logit scale learn. Other epochs use the
 * plain CLIP loss and leave the bank alone. With {@code crossAug} every sample is its AutoAugment
 * image and EDA caption (the {@code image-aug} and {@code text-aug} views), in every epoch.
 */
@Extension
public class RoClipLoss implements Loss<RoClipLossConfig> {

  @Override
  public String type() {
    return "RoClipLoss";
  }

  @Override
  public String description() {
    return "RoCLIP: every breakEpoch-th epoch, CLIP loss of each image against its nearest caption in a FIFO bank of caption embeddings";
  }

  @Override
  public ConfigSchema configSchema() {
    return RoClipLossConfig.SCHEMA;
  }

  @Override
  public RoClipLossConfig configure(ConfigValues values) {
    return RoClipLossConfig.from(values);
  }

  @Override
  public Set<String> views(RoClipLossConfig config) {
    return config.crossAug() ? Set.of(IMAGE_VIEW, TEXT_VIEW) : Set.of();
  }

  @Override
  public boolean readsOriginals(RoClipLossConfig config) {
    return !config.crossAug();
  }

  /** Without a run there is no bank: only the plain CLIP epochs can be computed. */
  @Override
  public NDArray compute(EmbeddingBatch batch, RoClipLossConfig config) {
    if (config.repairs(batch.epoch())) {
      throw new IllegalStateException("RoClipLoss needs its memory bank on re-pairing epochs; open the term for a run first");
    }
    return Tensors.mul(InfoNce.symmetric(images(batch, config), texts(batch, config), batch.logitScale(), batch.manager()), config.weight());
  }

  @Override
  public Term open(RoClipLossConfig config, RunScope scope) {
    return new Term() {
      private CaptionMemoryBank bank;

      @Override
      public NDArray compute(EmbeddingBatch batch) {
        if (!config.repairs(batch.epoch())) {
          return RoClipLoss.this.compute(batch, config);
        }
        NDArray u = images(batch, config);
        NDArray t = texts(batch, config);
        if (bank == null) {
          bank = new CaptionMemoryBank(config.bankSize(), (int) t.getShape().get(1), scope.seed());
        }
        NDArray w = bank.rows(bank.nearest(u, batch.manager()), batch.manager());
        bank.push(t.stopGradient().toFloatArray());
        return Tensors.mul(InfoNce.symmetric(u, w, batch.logitScale(), batch.manager()), config.weight());
      }

      @Override
      public byte[] state() {
        return bank == null ? null : bank.toBytes();
      }

      @Override
      public void restore(byte[] state) {
        bank = CaptionMemoryBank.fromBytes(state, config.bankSize());
      }
    };
  }

  private static NDArray images(EmbeddingBatch batch, RoClipLossConfig config) {
    return config.crossAug() ? view(batch, IMAGE_VIEW) : batch.images();
  }

  private static NDArray texts(EmbeddingBatch batch, RoClipLossConfig config) {
    return config.crossAug() ? view(batch, TEXT_VIEW) : batch.texts();
  }

  private static NDArray view(EmbeddingBatch batch, String name) {
    return batch.view(name).orElseThrow(() -> new IllegalStateException(
        "RoClipLoss with crossAug needs the " + name + " view; feed it records from AutoAugment and Eda stages, or set crossAug: false"));
  }
}
