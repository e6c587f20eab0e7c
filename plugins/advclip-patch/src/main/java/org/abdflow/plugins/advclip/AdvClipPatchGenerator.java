package org.abdflow.plugins.advclip;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.abdflow.api.ArtifactGenerator;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;
import org.abdflow.model.ClipModel;
import org.abdflow.model.adv.AdvPatch;
import org.abdflow.model.adv.AdvPatchListener;
import org.abdflow.model.adv.AdvPatchOptions;
import org.abdflow.model.adv.AdvPatchTrainer;
import org.abdflow.model.adv.PatchLossTerms;
import org.abdflow.model.train.RecordTrainingData;
import org.pf4j.Extension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code AdvClipPatch}: ABD's Stage A (PAPER.md §1.3) — AdvCLIP's GAN generator trained against a
 * frozen poisoned model and a frozen origin (clean) model on clean records, with AdvCLIP's
 * objective and the backdoor loss L_bd. The result is the universal adversarial patch as an {@code
 * adv-patch} artifact (tensor, header and PNG) for {@code PastePatch}. Model inputs: the poisoned
 * model, then the origin model.
 */
@Extension
public class AdvClipPatchGenerator implements ArtifactGenerator<AdvClipPatchConfig> {
  private static final Logger LOG = LoggerFactory.getLogger(AdvClipPatchGenerator.class);

  @Override
  public String type() {
    return "AdvClipPatch";
  }

  @Override
  public String description() {
    return "ABD's universal adversarial patch: AdvCLIP's generator + L_bd against [poisoned model, origin model] on clean records";
  }

  @Override
  public ConfigSchema configSchema() {
    return AdvClipPatchConfig.SCHEMA;
  }

  @Override
  public AdvClipPatchConfig configure(ConfigValues values) {
    return AdvClipPatchConfig.from(values);
  }

  @Override
  public String artifactKind(AdvClipPatchConfig config) {
    return AdvPatch.ARTIFACT_KIND;
  }

  @Override
  public List<String> modelRoles(AdvClipPatchConfig config) {
    return List.of("poisoned", "origin");
  }

  @Override
  public Map<String, Object> generate(AdvClipPatchConfig config, Input input, Path out) throws IOException {
    AdvPatchOptions options = config.options().toBuilder().setSeed(input.seed()).build();
    // seconds of the epochs this attempt ran; a resumed run's earlier epochs come from the patch's history
    Map<Integer, Double> secondsByEpoch = new LinkedHashMap<>();
    AdvPatch patch;
    try (ClipModel poisoned = ClipModel.load(input.models().get(0)); ClipModel origin = ClipModel.load(input.models().get(1))) {
      AdvPatchTrainer trainer = new AdvPatchTrainer(origin, poisoned, options);
      input.epochCheckpoints().ifPresent(dir -> trainer.checkpointEpochs(new org.abdflow.model.train.EpochCheckpoints(dir)));
      patch = trainer
          .addListener(new AdvPatchListener() {
            private long totalSteps;
            private String last = "";

            @Override
            public void onStart(int pairs, int stepsPerEpoch, AdvPatchOptions o) {
              totalSteps = (long) stepsPerEpoch * o.epochs();
            }

            @Override
            public void onStep(int epoch, int step, PatchLossTerms terms, double millis) {
              input.progress(step + 1L, totalSteps, "epoch " + (epoch + 1) + "/" + options.epochs() + last);
            }

            @Override
            public void onEpochEnd(int epoch, PatchLossTerms m, double seconds) {
              last = ", last epoch " + m.summary();
              LOG.info(String.format(Locale.ROOT, "%s: epoch %d/%d %s (%.1f s)", input.stage(), epoch + 1, options.epochs(), m.summary(), seconds));
              secondsByEpoch.put(epoch + 1, seconds);
            }
          })
          .fit(RecordTrainingData.stored(input.records()));
    }
    patch.save(out);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("options", options.toString());
    summary.put("mask", patch.mask().toString());
    List<Map<String, Object>> epochs = new ArrayList<>();
    for (int i = 0; i < patch.history().size(); i++) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("epoch", i + 1);
      row.put("terms", patch.history().get(i));
      row.put("seconds", secondsByEpoch.get(i + 1));
      epochs.add(row);
    }
    summary.put("epochs", epochs);
    summary.put("resumed_epochs", patch.history().size() - secondsByEpoch.size());
    return summary;
  }
}
