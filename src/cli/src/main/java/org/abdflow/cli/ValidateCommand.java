package org.abdflow.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.abdflow.engine.Abdflow;
import org.abdflow.engine.spec.PipelineSpec;
import org.abdflow.engine.spec.SpecException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code abdflow validate SPEC}: every problem of a spec, with file:line and key; exit 2 if any. */
@Command(name = "validate", description = "Check a spec as a whole without running it; prints every problem as FILE:LINE:COL: KEY: MESSAGE.")
final class ValidateCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "SPEC")
  Path spec;

  @Option(names = "--param", paramLabel = "NAME=VALUE", description = "a value for one of the spec's params (repeatable)")
  java.util.Map<String, String> params = new java.util.LinkedHashMap<>();

  @Option(names = "--plugins", paramLabel = "DIR", description = "extra plugin folder (repeatable)")
  List<Path> plugins = new ArrayList<>();

  @Override
  public Integer call() {
    try {
      PipelineSpec s = Abdflow.validate(spec, plugins, params);
      System.out.println(spec + ": OK (" + s.transforms().size() + " transforms)");
      return 0;
    } catch (SpecException e) {
      e.errors().forEach(System.err::println);
      System.err.println(e.errors().size() + " problem" + (e.errors().size() == 1 ? "" : "s") + " in " + spec);
      return 2;
    }
  }
}
