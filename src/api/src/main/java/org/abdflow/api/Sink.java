package org.abdflow.api;

import java.io.Closeable;
import java.io.IOException;
import org.abdflow.schema.Sample;

/** Writes records out of a pipeline, one writer per bundle of work. */
public interface Sink<C> extends AbdflowExtension<C> {

  /** Opens a writer for one shard; {@code shard} is unique within the stage. */
  Writer open(String shard, C config, SourceContext context) throws IOException;

  /** Writes the records of one shard; a shard is complete only once closed. */
  interface Writer extends Closeable {
    void write(Sample sample) throws IOException;
  }
}
