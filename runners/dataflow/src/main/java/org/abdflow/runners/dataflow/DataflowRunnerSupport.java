package org.abdflow.runners.dataflow;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.abdflow.engine.runner.RunnerSupport;
import org.apache.beam.runners.dataflow.DataflowRunner;
import org.apache.beam.runners.dataflow.options.DataflowPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Beam's DataflowRunner: Google Cloud Dataflow with its own options ({@code --project},
 * {@code --region}, {@code --gcpTempLocation}, worker settings). Training stages with {@code
 * device: gpu|auto} carry Beam's accelerator hint, which Dataflow turns into GPU workers for those
 * steps only; {@code --templateLocation} writes the job as a classic template and submits nothing.
 */
public final class DataflowRunnerSupport implements RunnerSupport {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DataflowRunnerSupport.class);

  @Override
  public String name() {
    return "dataflow";
  }

  @Override
  public String description() {
    return "Beam DataflowRunner (--project, --region, --gcpTempLocation); --templateLocation=FILE writes the job and runs nothing";
  }

  @Override
  public PipelineOptions options(List<String> beamArgs) {
    DataflowPipelineOptions options =
        PipelineOptionsFactory.fromArgs(beamArgs.toArray(String[]::new)).withValidation().as(DataflowPipelineOptions.class);
    options.setRunner(DataflowRunner.class);
    if (templateLocation(options).isEmpty()) {
      LOG.warn("stages write checkpoints and artifacts under the run folder as file paths: on Dataflow every worker and "
          + "this machine must see that folder (an NFS or Filestore mount); gs:// run folders are not supported yet");
    }
    return options;
  }

  /** Dataflow workers are other machines: the plugin JARs travel as staged files with the job. */
  @Override
  public boolean stagePlugins(PipelineOptions options, List<Path> pluginJars) {
    DataflowPipelineOptions dataflow = options.as(DataflowPipelineOptions.class);
    dataflow.setFilesToStage(RunnerSupport.filesToStageWith(options, dataflow.getFilesToStage(), pluginJars));
    return true;
  }

  @Override
  public Optional<String> templateLocation(PipelineOptions options) {
    return Optional.ofNullable(options.as(DataflowPipelineOptions.class).getTemplateLocation()).filter(s -> !s.isBlank());
  }
}
