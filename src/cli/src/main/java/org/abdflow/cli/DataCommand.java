package org.abdflow.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.abdflow.engine.data.IdxSubsetCutter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code abdflow data cut-demo}: re-cuts the demo's Fashion-MNIST subset from the original files. */
@Command(name = "data", description = "Data tools.", subcommands = DataCommand.CutDemo.class)
final class DataCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  @Command(name = "cut-demo", description = "Cut the class-balanced Fashion-MNIST demo subset (IDX, gzip) from the original files "
      + "(Debian package dataset-fashion-mnist).")
  static final class CutDemo implements Callable<Integer> {
    @Option(names = "--originals", defaultValue = "/usr/share/datasets/fashion-mnist", description = "folder of the original IDX files")
    Path originals;

    @Option(names = "--out", defaultValue = "pipelines/data/fashion-mnist-demo", description = "where the subset goes")
    Path out;

    @Option(names = "--pretrain-per-class", defaultValue = "" + IdxSubsetCutter.PRETRAIN_PER_CLASS)
    int pretrain;

    @Option(names = "--finetune-per-class", defaultValue = "" + IdxSubsetCutter.FINETUNE_PER_CLASS)
    int finetune;

    @Option(names = "--test-per-class", defaultValue = "" + IdxSubsetCutter.TEST_PER_CLASS)
    int test;

    @Override
    public Integer call() throws Exception {
      Map<String, Integer> counts = IdxSubsetCutter.cutFashionMnistDemo(originals, out, pretrain, finetune, test);
      counts.forEach((split, n) -> System.out.println(split + ": " + n + " images"));
      return 0;
    }
  }
}
