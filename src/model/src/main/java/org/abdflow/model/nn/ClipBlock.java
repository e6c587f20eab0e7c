package org.abdflow.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.abdflow.model.ClipConfig;

/**
 * The whole CLIP network: {@code visual} (a {@link ModifiedResNet} or {@link VisionTransformer}),
 * the {@link TextTransformer} at top level, and {@code logit_scale} = ln(1/0.07) at the start.
 * DJL's {@code forward(NDList(images, ids))} returns (image features, text features); the towers
 * are also usable one at a time.
 */
public final class ClipBlock extends StateBlock {
  /** Name of the learnable temperature in the state dict. */
  public static final String LOGIT_SCALE = "logit_scale";

  private final StateBlock visual;
  private final TextTransformer text;
  private final Parameter logitScale;

  public ClipBlock(ClipConfig c) {
    visual =
        child(
            "visual",
            c.isResNet()
                ? new ModifiedResNet(c.visionLayers(), c.embedDim(), c.visionHeads(), c.imageResolution(), c.visionWidth())
                : new VisionTransformer(
                    c.imageResolution(), c.visionPatchSize(), c.visionWidth(), c.visionLayers().get(0),
                    c.visionHeads(), c.embedDim()));
    text =
        child(
            "",
            new TextTransformer(
                c.contextLength(), c.vocabSize(), c.transformerWidth(), c.transformerLayers(), c.transformerHeads(),
                c.embedDim()));
    logitScale = param(LOGIT_SCALE, new Shape(), Init.constant((float) Math.log(1 / 0.07)));
  }

  public StateBlock visual() {
    return visual;
  }

  public TextTransformer text() {
    return text;
  }

  public Parameter logitScale() {
    return logitScale;
  }

  /** Not the DJL single-input path: use {@link #forwardInternal} with (images, ids), or a tower. */
  @Override
  public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    throw new UnsupportedOperationException("CLIP takes (images, token ids); call visual() or text()");
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(
        visual.forward(ps, inputs.get(0), training), text.forward(ps, inputs.get(1), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] in) {
    return new Shape[] {visual.getOutputShapes(new Shape[] {in[0]})[0], text.getOutputShapes(new Shape[] {in[1]})[0]};
  }
}
