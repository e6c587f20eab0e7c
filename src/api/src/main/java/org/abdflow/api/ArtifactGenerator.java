package org.abdflow.api;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.abdflow.schema.Sample;

/**
 * A stage that learns an artifact from trained models and records: ABD's universal adversarial
 * patch, an attacker's optimised trigger. Like training it is one bounded task: the engine gathers
 * the records on one worker, hands over the input models' checkpoint folders in the order the spec
 * lists them, and publishes the folder {@link #generate} fills as an artifact of {@link
 * #artifactKind}, which augmenters and attacks that declare that kind take as an input.
 */
public interface ArtifactGenerator<C> extends AbdflowExtension<C> {

  /** The kind of artifact made (e.g. {@code adv-patch}). */
  String artifactKind(C config);

  /** What each model input is, in spec order (e.g. {@code [poisoned, origin]}); their number is fixed. */
  List<String> modelRoles(C config);

  /**
   * Learns the artifact and writes it into the empty folder {@code out} (the engine moves it into
   * place only when this returns). Returns a summary (numbers, per-epoch terms) for the report.
   */
  Map<String, Object> generate(C config, Input input, Path out) throws IOException;

  /** What a generator reads. */
  interface Input {
    /** Checkpoint folders of the model inputs, in {@link #modelRoles} order. */
    List<Path> models();

    /**
     * The input records, sorted by id (so a result depends on the data, not on the runner's
     * order). The list reads each record from local disk when asked: iterate it, or copy only
     * what must stay in memory.
     */
    List<Sample> records();

    /** The stage's seed, derived from the run seed and the stage name. */
    long seed();

    /** The stage's name, for messages and logs. */
    String stage();

    /**
     * A folder where a generator that trains keeps its state at epoch ends, so a killed run
     * resumes it (it belongs to this exact computation); empty when the run keeps none.
     */
    default java.util.Optional<Path> epochCheckpoints() {
      return java.util.Optional.empty();
    }

    /**
     * Tells the run's live display how far the generation is: {@code done} of {@code total} units
     * (steps, say) and a short detail such as the last epoch's losses. Costs nothing when no one
     * watches; call it as often as every step.
     */
    default void progress(long done, long total, String detail) {}
  }
}
