package org.abdflow.api;

import java.io.IOException;
import java.util.List;
import org.abdflow.schema.Sample;

/**
 * Reads records (image-caption pairs, labelled images) into a pipeline. Reading is split into
 * units (files, shards, index ranges) so that it spreads over workers; a record that cannot be read
 * goes to {@link RecordEmitter#fail} and the rest of the split goes on.
 */
public interface Source<C> extends AbdflowExtension<C> {

  /** The units to read, each handed to {@link #read} on some worker. Fails fast on a missing file. */
  List<String> splits(C config, SourceContext context) throws IOException;

  /**
   * Every file or folder the source reads (a folder with everything in it), so that a rerun whose
   * inputs did not change can reuse a finished run whole. Empty, the default, when the source
   * cannot say: a spec with such a source is always run.
   */
  default java.util.Optional<List<java.nio.file.Path>> inputs(C config, SourceContext context) throws IOException {
    return java.util.Optional.empty();
  }

  /** Reads one unit. */
  void read(String split, C config, SourceContext context, RecordEmitter out) throws IOException;

  /** Where the records of a split go. */
  interface RecordEmitter {
    void emit(Sample sample);

    /** Sends a record that failed to the run's dead-letter output, with what was read of it. */
    void fail(String recordId, String location, byte[] payload, Exception error);
  }
}
