package org.abdflow.model.adv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.abdflow.api.image.Image;

/**
 * The result of ABD's Stage A: the universal perturbation P (1×3×R×R, normalised image space,
 * clamped), the mask of the region it replaces, the normalisation that maps it back to pixels and
 * the per-epoch loss history. Immutable.
 *
 * <p>{@link #save} writes {@value #TENSOR_FILE} (raw little-endian float32, row-major 1×3×R×R),
 * {@value #HEADER_FILE} (shape, mask, mean/std, clamp, history) and {@value #IMAGE_FILE} (the patch
 * region in 8 bits, for reports).
 */
public final class AdvPatch {
  /** The artifact kind under which stages pass a saved patch around. */
  public static final String ARTIFACT_KIND = "adv-patch";

  public static final String TENSOR_FILE = "patch.f32";
  public static final String HEADER_FILE = "patch.json";
  public static final String IMAGE_FILE = "patch.png";

  private static final String FORMAT = "abdflow-adv-patch/1";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final float[] perturbation;
  private final PatchMask mask;
  private final List<Float> mean;
  private final List<Float> std;
  private final PatchClamp clamp;
  private final List<PatchLossTerms> history;

  public AdvPatch(float[] perturbation, PatchMask mask, List<Float> mean, List<Float> std, PatchClamp clamp,
      List<PatchLossTerms> history) {
    int r = mask.resolution();
    if (perturbation.length != 3 * r * r) {
      throw new IllegalArgumentException("a " + r + " px perturbation has " + 3 * r * r + " values, got "
          + perturbation.length);
    }
    if (mean.size() != 3 || std.size() != 3) {
      throw new IllegalArgumentException("normalisation needs three channels");
    }
    this.perturbation = perturbation.clone();
    this.mask = mask;
    this.mean = List.copyOf(mean);
    this.std = List.copyOf(std);
    this.clamp = clamp;
    this.history = List.copyOf(history);
  }

  public int resolution() {
    return mask.resolution();
  }

  /** P, 1×3×R×R row-major in normalised image space (a copy). */
  public float[] perturbation() {
    return perturbation.clone();
  }

  public PatchMask mask() {
    return mask;
  }

  public List<Float> mean() {
    return mean;
  }

  public List<Float> std() {
    return std;
  }

  public PatchClamp clamp() {
    return clamp;
  }

  /** Mean loss terms per epoch. */
  public List<PatchLossTerms> history() {
    return history;
  }

  /** The patch region de-normalised to 8-bit RGB (side×side), clamped to [0, 255] and rounded. */
  public Image patchImage() {
    int side = mask.side();
    byte[] px = new byte[side * side * 3];
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        for (int c = 0; c < 3; c++) {
          px[(y * side + x) * 3 + c] = (byte) pixel(c, mask.row() + y, mask.col() + x);
        }
      }
    }
    return Image.wrap(side, side, 3, px);
  }

  /**
   * {@code clean} with the patch region pasted at top-left (row, col), as ABD's fine-tuning
   * augmentation does on 8-bit records. The result is RGB (a grey image is replicated first);
   * the patch was optimised for R×R inputs, so paste it into images of that size.
   */
  public Image paste(Image clean, int row, int col) {
    int side = mask.side();
    int h = clean.height();
    int w = clean.width();
    if (row < 0 || col < 0 || row + side > h || col + side > w) {
      throw new IllegalArgumentException("a " + side + " px patch at (" + row + ", " + col + ") does not fit " + clean);
    }
    byte[] src = clean.unsafeBytes();
    byte[] out = new byte[h * w * 3];
    if (clean.channels() == 3) {
      System.arraycopy(src, 0, out, 0, out.length);
    } else {
      for (int i = 0; i < h * w; i++) {
        out[3 * i] = src[i];
        out[3 * i + 1] = src[i];
        out[3 * i + 2] = src[i];
      }
    }
    byte[] patch = patchImage().unsafeBytes();
    for (int y = 0; y < side; y++) {
      System.arraycopy(patch, y * side * 3, out, ((row + y) * w + col) * 3, side * 3);
    }
    return Image.wrap(h, w, 3, out);
  }

  /** One value of P as an 8-bit pixel. */
  private int pixel(int c, int y, int x) {
    int r = mask.resolution();
    double v = perturbation[(c * r + y) * r + x] * (double) std.get(c) + mean.get(c);
    return (int) Math.max(0, Math.min(255, Math.round(v * 255)));
  }

  /** Writes the three files into {@code dir} (created if needed). */
  public void save(Path dir) throws IOException {
    Files.createDirectories(dir);
    ByteBuffer buf = ByteBuffer.allocate(perturbation.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(perturbation);
    Files.write(dir.resolve(TENSOR_FILE), buf.array());
    JSON.writeValue(dir.resolve(HEADER_FILE).toFile(), header());
    ImageIO.write(toBufferedImage(patchImage()), "png", dir.resolve(IMAGE_FILE).toFile());
  }

  private ObjectNode header() {
    int r = mask.resolution();
    ObjectNode h = JSON.createObjectNode();
    h.put("format", FORMAT);
    h.putArray("shape").add(1).add(3).add(r).add(r);
    h.put("dtype", "float32, little-endian, row-major");
    ObjectNode m = h.putObject("mask");
    m.put("row", mask.row());
    m.put("col", mask.col());
    m.put("side", mask.side());
    floats(h.putArray("mean"), mean);
    floats(h.putArray("std"), std);
    ObjectNode c = h.putObject("clamp");
    floats(c.putArray("low"), clamp.low());
    floats(c.putArray("high"), clamp.high());
    ArrayNode epochs = h.putArray("history");
    for (PatchLossTerms t : history) {
      ObjectNode e = epochs.addObject();
      e.put("L_D", t.discriminator());
      e.put("L_GAN", t.gan());
      e.put("L_adv", t.adv());
      e.put("L_rec", t.rec());
      e.put("L_topo", t.topo());
      e.put("L_bd", t.bd());
      e.put("L_G", t.generator());
    }
    return h;
  }

  /** Reads a folder written by {@link #save}. */
  public static AdvPatch load(Path dir) throws IOException {
    JsonNode h = JSON.readTree(dir.resolve(HEADER_FILE).toFile());
    if (!FORMAT.equals(h.path("format").asText())) {
      throw new IOException(dir.resolve(HEADER_FILE) + " is not an " + FORMAT + " header");
    }
    int r = h.get("shape").get(3).asInt();
    JsonNode m = h.get("mask");
    PatchMask mask = new PatchMask(r, m.get("row").asInt(), m.get("col").asInt(), m.get("side").asInt());
    byte[] bytes = Files.readAllBytes(dir.resolve(TENSOR_FILE));
    if (bytes.length != 3 * r * r * Float.BYTES) {
      throw new IOException(dir.resolve(TENSOR_FILE) + " has " + bytes.length + " bytes, expected " + 3 * r * r * 4);
    }
    float[] p = new float[3 * r * r];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(p);
    List<PatchLossTerms> history = new ArrayList<>();
    for (JsonNode e : h.get("history")) {
      history.add(new PatchLossTerms(e.get("L_D").asDouble(), e.get("L_GAN").asDouble(), e.get("L_adv").asDouble(),
          e.get("L_rec").asDouble(), e.get("L_topo").asDouble(), e.get("L_bd").asDouble(), e.get("L_G").asDouble()));
    }
    PatchClamp clamp = new PatchClamp(floats(h.get("clamp").get("low")), floats(h.get("clamp").get("high")));
    return new AdvPatch(p, mask, floats(h.get("mean")), floats(h.get("std")), clamp, history);
  }

  private static void floats(ArrayNode out, List<Float> values) {
    values.forEach(out::add);
  }

  private static List<Float> floats(JsonNode array) {
    List<Float> out = new ArrayList<>();
    array.forEach(v -> out.add(v.floatValue()));
    return out;
  }

  private static BufferedImage toBufferedImage(Image img) {
    BufferedImage b = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < img.height(); y++) {
      for (int x = 0; x < img.width(); x++) {
        b.setRGB(x, y, (img.get(y, x, 0) << 16) | (img.get(y, x, 1) << 8) | img.get(y, x, 2));
      }
    }
    return b;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof AdvPatch)) {
      return false;
    }
    AdvPatch a = (AdvPatch) o;
    return Arrays.equals(perturbation, a.perturbation) && mask.equals(a.mask) && mean.equals(a.mean)
        && std.equals(a.std) && clamp.equals(a.clamp) && history.equals(a.history);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(perturbation) * 31 + mask.hashCode();
  }

  @Override
  public String toString() {
    return "AdvPatch[" + mask + ", " + history.size() + " epochs]";
  }
}
