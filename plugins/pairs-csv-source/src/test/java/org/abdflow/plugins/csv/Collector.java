package org.abdflow.plugins.csv;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.abdflow.api.Source;
import org.abdflow.api.SourceContext;
import org.abdflow.schema.Sample;

/** A {@link Source.RecordEmitter} that collects into lists, and a {@link SourceContext} for tests. */
final class Collector implements Source.RecordEmitter {
  final List<Sample> samples = new ArrayList<>();
  final List<Failure> failures = new ArrayList<>();

  /** One dead letter. */
  static final class Failure {
    final String recordId;
    final String location;
    final byte[] payload;
    final Exception error;

    Failure(String recordId, String location, byte[] payload, Exception error) {
      this.recordId = recordId;
      this.location = location;
      this.payload = payload;
      this.error = error;
    }

    @Override
    public String toString() {
      return recordId + " @ " + location + ": " + error;
    }
  }

  @Override
  public void emit(Sample sample) {
    samples.add(sample);
  }

  @Override
  public void fail(String recordId, String location, byte[] payload, Exception error) {
    failures.add(new Failure(recordId, location, payload, error));
  }

  List<String> ids() {
    List<String> ids = new ArrayList<>();
    samples.forEach(s -> ids.add(s.getId()));
    return ids;
  }

  List<String> failedIds() {
    List<String> ids = new ArrayList<>();
    failures.forEach(f -> ids.add(f.recordId));
    return ids;
  }

  static byte[] bytes(ByteBuffer b) {
    ByteBuffer d = b.duplicate();
    byte[] out = new byte[d.remaining()];
    d.get(out);
    return out;
  }

  static SourceContext context(Path root, long seed, String stage) {
    return new SourceContext() {
      @Override
      public Path resolve(String path) {
        return root.resolve(path);
      }

      @Override
      public long seed() {
        return seed;
      }

      @Override
      public String stage() {
        return stage;
      }
    };
  }
}
