package org.abdflow.engine;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** abdflow's own pipeline options, passed like a runner's ({@code --torchThreads=2}) and shipped to every worker. */
public interface AbdflowOptions extends PipelineOptions {
  @Description("libtorch intra-op threads of every stage's model work, on every worker (default: the cores of the machine that "
      + "submits). Results depend on it in the last bits, so it is one number for the whole run: runs with the same value give "
      + "the same CA and ASR on any runner; a worker runs at most cores / torchThreads training tasks at a time.")
  @Default.Integer(0)
  int getTorchThreads();

  void setTorchThreads(int threads);

  @Description("Reuse the output of a training or generator stage from an earlier run when everything that determines it is the "
      + "same (config, seed, code, threads and the digests of its inputs); false recomputes every stage.")
  @Default.Boolean(true)
  boolean getReuseStages();

  void setReuseStages(boolean reuse);
}
