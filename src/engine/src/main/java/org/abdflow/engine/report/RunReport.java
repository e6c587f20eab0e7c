package org.abdflow.engine.report;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * What a run measured, as {@code report.json} carries it (schema in shared/DESIGN.md, more fields
 * welcome): stages with their time and record counts, and CA/ASR per model and attack.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunReport(
    String spec,
    String runner,
    long seed,
    double wallSeconds,
    List<Stage> stages,
    List<Result> results,
    long deadLetters,
    Map<String, Training> training,
    List<Similarity> similarities,
    Map<String, String> patches,
    Map<String, String> galleries,
    List<Long> seeds,
    List<SeedRow> seedSummary) {

  /** A report without a seed list (every stage ran with the run seed). */
  public RunReport(String spec, String runner, long seed, double wallSeconds, List<Stage> stages, List<Result> results, long deadLetters,
      Map<String, Training> training, List<Similarity> similarities, Map<String, String> patches, Map<String, String> galleries) {
    this(spec, runner, seed, wallSeconds, stages, results, deadLetters, training, similarities, patches, galleries, null, null);
  }

  /**
   * A model (the spec's name, without the seed copy's suffix) under one attack over the seeds of
   * {@code pipeline.matrix.seed}: each seed's CA and ASR, their mean and sample standard deviation.
   */
  @JsonIgnoreProperties(value = {"clean_accuracy_ci", "attack_success_rate_ci"}, allowGetters = true)
  public record SeedRow(String model, String defense, String attack, List<Long> seeds, List<Double> cleanAccuracy,
      List<Double> attackSuccessRate, double cleanAccuracyMean, double cleanAccuracySd, double attackSuccessRateMean,
      double attackSuccessRateSd) {

    /** The 95 % t interval of CA over the seeds; null under two seeds. */
    @JsonProperty
    public List<Double> cleanAccuracyCi() {
      return Intervals.acrossSeeds(cleanAccuracy);
    }

    /** The 95 % t interval of ASR over the seeds; null under two seeds or without an attack. */
    @JsonProperty
    public List<Double> attackSuccessRateCi() {
      return Intervals.acrossSeeds(attackSuccessRate);
    }
  }

  /**
   * One spec transform: seconds of work inside it (summed over workers), records in and out, and
   * the epoch milliseconds its first piece of work began and its last ended, on any worker;
   * {@code reused} is true when its output came from an earlier run's (the stage cache).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Stage(String name, String type, double seconds, long recordsIn, long recordsOut, long deadLetters, Long workStartMs,
      Long workEndMs, Boolean reused) {

    /** A stage without its work's instants. */
    public Stage(String name, String type, double seconds, long recordsIn, long recordsOut, long deadLetters) {
      this(name, type, seconds, recordsIn, recordsOut, deadLetters, null, null, null);
    }

    /** A stage that was computed, with its work's instants. */
    public Stage(String name, String type, double seconds, long recordsIn, long recordsOut, long deadLetters, Long workStartMs,
        Long workEndMs) {
      this(name, type, seconds, recordsIn, recordsOut, deadLetters, workStartMs, workEndMs, null);
    }

    /** Wall seconds from the first piece of work to the end of the last; empty when none was recorded. */
    public java.util.OptionalDouble spanSeconds() {
      return workStartMs == null || workEndMs == null ? java.util.OptionalDouble.empty()
          : java.util.OptionalDouble.of((workEndMs - workStartMs) / 1e3);
    }
  }

  /**
   * A model evaluated under one test-time attack ("none" when the evaluation had no attack);
   * {@code poisonRate} is the attack stage's poisoning rate when that stage poisoned data the model
   * descends from (the points of an ASR vs poison rate grid), else null.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(value = {"clean_accuracy_ci", "attack_success_rate_ci"}, allowGetters = true)
  public record Result(
      String eval,
      String model,
      String defense,
      String attack,
      String attackStage,
      Double cleanAccuracy,
      Double cleanTop5,
      Double attackSuccessRate,
      Double attackSuccessRateAll,
      long evalImages,
      Long triggeredImages,
      Double poisonRate) {

    /** A result without a poison rate (its model does not descend from the attack). */
    public Result(String eval, String model, String defense, String attack, String attackStage, Double cleanAccuracy, Double cleanTop5,
        Double attackSuccessRate, Double attackSuccessRateAll, long evalImages, Long triggeredImages) {
      this(eval, model, defense, attack, attackStage, cleanAccuracy, cleanTop5, attackSuccessRate, attackSuccessRateAll, evalImages,
          triggeredImages, null);
    }

    /** The 95 % bootstrap interval of CA over the clean test images. */
    @JsonProperty
    public List<Double> cleanAccuracyCi() {
      return Intervals.bootstrapRate(cleanAccuracy, evalImages);
    }

    /** The 95 % bootstrap interval of ASR over the triggered test images of other classes than the target. */
    @JsonProperty
    public List<Double> attackSuccessRateCi() {
      return Intervals.bootstrapRate(attackSuccessRate, triggeredImages);
    }
  }

  /** A training stage's loss curve. */
  public record Training(long records, long poisoned, int epochs, long steps, double seconds, List<Double> lossPerEpoch) {}

  /**
   * Figure 2's numbers from an {@code ImageTextSimilarity} stage: mean 100 × cosine per pair
   * (clean_vs_own_caption, triggered_vs_target_caption, patched_vs_own_caption, ...).
   */
  public record Similarity(String stage, String model, String attack, String targetCaption, int images, Map<String, Double> values) {}

  /** The result row of {@code model} under {@code attack}, if any. */
  public java.util.Optional<Result> result(String model, String attack) {
    return results.stream().filter(r -> r.model().equals(model) && r.attack().equals(attack)).findFirst();
  }
}
