package org.abdflow.api;

import java.util.List;
import java.util.Locale;

/**
 * Prompt templates ({@code {}} stands for the class name) shared by sources that caption labelled
 * images, attacks that write target captions and the zero-shot classifier.
 */
public final class PromptTemplates {
  private PromptTemplates() {}

  /** The demo's set: a dozen of CLIP's ImageNet templates that fit small grey product images. */
  public static final List<String> SIMPLE =
      List.of(
          "a photo of a {}.",
          "a blurry photo of a {}.",
          "a black and white photo of a {}.",
          "a low contrast photo of a {}.",
          "a bad photo of a {}.",
          "a good photo of a {}.",
          "a photo of the small {}.",
          "a photo of the large {}.",
          "a close-up photo of a {}.",
          "a cropped photo of the {}.",
          "a bright photo of a {}.",
          "a dark photo of the {}.");

  /** CLIP's 80 ImageNet prompt templates (the zero-shot protocol of the paper, PAPER.md §4.2). */
  public static final List<String> IMAGENET = resource("imagenet_templates.txt", 80);

  /** CLIP's 1,000 curated ImageNet class names; label i is the i-th (banana is 954). */
  public static final List<String> IMAGENET_CLASSES = resource("imagenet_classes.txt", 1000);

  private static List<String> resource(String name, int expected) {
    try (java.io.InputStream in = PromptTemplates.class.getResourceAsStream("prompts/" + name)) {
      if (in == null) {
        throw new IllegalStateException("prompts/" + name + " is missing from the abdflow-api JAR");
      }
      List<String> lines = new java.io.BufferedReader(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8))
          .lines().filter(l -> !l.isBlank()).toList();
      if (lines.size() != expected) {
        throw new IllegalStateException("prompts/" + name + " has " + lines.size() + " lines, not " + expected);
      }
      return List.copyOf(lines);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Fills one template with a class name. */
  public static String fill(String template, String className) {
    return template.replace("{}", className.toLowerCase(Locale.ROOT));
  }

  /** The named set ({@code simple}, {@code imagenet}: CLIP's 80) or, for any other value, a single literal template. */
  public static List<String> named(String name) {
    if ("simple".equals(name)) {
      return SIMPLE;
    }
    if ("imagenet".equals(name)) {
      return IMAGENET;
    }
    if (!name.contains("{}")) {
      throw new IllegalArgumentException("unknown template set '" + name + "' (known: simple, imagenet, or a template with {})");
    }
    return List.of(name);
  }
}
