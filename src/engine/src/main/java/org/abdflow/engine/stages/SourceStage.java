package org.abdflow.engine.stages;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.abdflow.api.Source;
import org.abdflow.engine.plugins.ExtensionRef;
import org.abdflow.engine.plugins.PluginRegistry.LoadedExtension;
import org.abdflow.engine.spec.TransformSpec;
import org.abdflow.schema.DeadLetter;
import org.abdflow.schema.Sample;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * A {@link Source} extension as a stage: its splits are listed on the driver (so a missing file
 * fails before the run), spread over workers, and read there; unreadable records become dead
 * letters.
 */
final class SourceStage extends ExtensionStage<Source<?>> {
  private static final TupleTag<Sample> RECORDS = new TupleTag<Sample>() {};

  private final LoadedExtension loaded;

  SourceStage(LoadedExtension loaded) {
    super((Source<?>) loaded.extension(), 0, 0);
    this.loaded = loaded;
  }







  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public StageOutput expand(StageContext context, TransformSpec transform, List<StageOutput> inputs) {
    String name = transform.name();
    ExtensionRef ref = context.extensionRef(transform.type(), transform.config());
    SpecSourceContext sourceContext =
        new SpecSourceContext(context.spec().file().toAbsolutePath().getParent().toString(), context.seed(name), name);
    ExtensionRef.Resolved<Source> resolved = ref.resolve(Source.class);
    List<String> splits;
    try {
      splits = resolved.extension().splits(resolved.config(), sourceContext);
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
    PCollectionTuple read =
        context.pipeline()
            .apply(name + "/Splits", Create.of(splits).withCoder(StringUtf8Coder.of()))
            .apply(name + "/Spread", Reshuffle.viaRandomKey())
            .apply(name + "/Read", ParDo.of(new ReadSplitFn(ref, sourceContext)).withOutputTags(RECORDS, TupleTagList.of(DeadLetters.TAG)));
    context.addDeadLetters(read.get(DeadLetters.TAG).setCoder(Coders.deadLetter()));
    return new StageOutput.Records(name, read.get(RECORDS).setCoder(Coders.sample()));
  }

  /** Reads one split on a worker; the extension is resolved in {@code @Setup}. */
  static final class ReadSplitFn extends DoFn<String, Sample> {
    private final ExtensionRef ref;
    private final SpecSourceContext sourceContext;
    private transient Source<Object> source;
    private transient Object config;

    ReadSplitFn(ExtensionRef ref, SpecSourceContext sourceContext) {
      this.ref = ref;
      this.sourceContext = sourceContext;
    }

    @Setup
    @SuppressWarnings("unchecked")
    public void setup() {
      ExtensionRef.Resolved<Source> r = ref.resolve(Source.class);
      source = r.extension();
      config = r.config();
    }

    @ProcessElement
    public void process(@Element String split, MultiOutputReceiver out) {
      String stage = sourceContext.stage();
      long start = System.nanoTime();
      Source.RecordEmitter emitter = new Source.RecordEmitter() {
        @Override
        public void emit(Sample sample) {
          StageMetrics.out(stage).inc();
          out.get(RECORDS).output(sample);
        }

        @Override
        public void fail(String recordId, String location, byte[] payload, Exception error) {
          StageMetrics.dead(stage).inc();
          out.get(DeadLetters.TAG).output(DeadLetters.of(stage, recordId, location, payload, error));
        }
      };
      try {
        source.read(split, config, sourceContext, emitter);
      } catch (IOException | RuntimeException e) {
        // The rest of the split is lost to this record's reader, but not to the run: say which split.
        emitter.fail(null, "split " + split, split.getBytes(java.nio.charset.StandardCharsets.UTF_8), e);
      }
      StageMetrics.worked(stage, start);
    }
  }
}
