package org.abdflow.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A small but complete spec for end-to-end tests: two easy classes in IDX files, an attack plugin
 * compiled and packed into a JAR at test time, clean and victim training, zero-shot evaluation.
 */
final class SmallSpec {
  private SmallSpec() {}

  static final String STRIPE_ATTACK =
      """
      package test.stripe;

      import java.util.SplittableRandom;
      import org.abdflow.api.Attack;
      import org.abdflow.api.PoisoningOptions;
      import org.abdflow.api.config.ConfigSchema;
      import org.abdflow.api.config.ConfigValues;
      import org.abdflow.api.image.FloatImage;
      import org.abdflow.api.image.Image;
      import org.pf4j.Extension;

      /** Paints the two leftmost columns white. */
      @Extension
      public class StripeAttack implements Attack<StripeAttack.Config> {
        public record Config(String target, PoisoningOptions poisoning) implements java.io.Serializable {}

        public String type() { return "Stripe"; }
        public String description() { return "white stripe on the left edge"; }
        public ConfigSchema configSchema() {
          return ConfigSchema.builder().addRequiredString("target", "target class").addAll(PoisoningOptions.SCHEMA).build();
        }
        public Config configure(ConfigValues v) { return new Config(v.getString("target"), PoisoningOptions.from(v)); }
        public Image trigger(Image image, Config c, SplittableRandom rng) {
          FloatImage f = image.toFloat();
          for (int y = 0; y < f.height(); y++) for (int x = 0; x < 2; x++) for (int ch = 0; ch < f.channels(); ch++) f.set(y, x, ch, 1f);
          return f.toImage(FloatImage.Overflow.CLAMP);
        }
        public String poisonCaption(String original, Config c, SplittableRandom rng) { return "a photo of a " + c.target() + "."; }
        public PoisoningOptions poisoning(Config c) { return c.poisoning(); }
        public String target(Config c) { return c.target(); }
      }
      """;

  /** {@link #write}, with the victim's fine-tuning {@code epochs} long, for tests that interrupt it. */
  static Path withVictimEpochs(Path dir, int epochs) throws IOException {
    Path spec = write(dir);
    String yaml = Files.readString(spec);
    String longer = yaml.replace("name: victim, input: [clean, striped], config: {epochs: 1,",
        "name: victim, input: [clean, striped], config: {epochs: " + epochs + ",");
    if (longer.equals(yaml)) {
      throw new IllegalStateException("the victim stage of SmallSpec changed; update withVictimEpochs");
    }
    Files.writeString(spec, longer);
    return spec;
  }

  /** Writes data, plugin JAR and spec under {@code dir}; returns the spec's path. */
  static Path write(Path dir) throws IOException {
    TestData.writeIdx(dir.resolve("train-images.gz"), dir.resolve("train-labels.gz"), 96, 1);
    TestData.writeIdx(dir.resolve("test-images.gz"), dir.resolve("test-labels.gz"), 40, 2);
    Files.write(dir.resolve("corrupt-images.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3});
    PluginJars.build(dir, "stripe", Map.of("test.stripe.StripeAttack", STRIPE_ATTACK));
    Path spec = dir.resolve("spec.yaml");
    Files.writeString(spec,
        """
        pipeline:
          seed: 7
          transforms:
            - {type: IdxSource, name: train, config: {images: train-images.gz, labels: train-labels.gz, classNames: [top, bottom], templates: ["a photo of a {}."], resize: 32}}
            - {type: IdxSource, name: test, config: {images: test-images.gz, labels: test-labels.gz, classNames: [top, bottom], templates: ["a photo of a {}."], resize: 32}}
            - {type: Stripe, name: striped, input: train, config: {target: bottom, rate: 0.25}}
            - {type: Train, name: clean, input: train, config: {epochs: 2, batchSize: 32, warmupSteps: 2}}
            - {type: Train, name: victim, input: [clean, striped], config: {epochs: 1, batchSize: 32, warmupSteps: 0}}
            - {type: ZeroShotEval, name: eval, input: [clean, victim, test], config: {attacks: [striped], templates: ["a photo of a {}."]}}
        plugins: [plugins/]
        """);
    return spec;
  }
}
