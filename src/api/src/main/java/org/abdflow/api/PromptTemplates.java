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

  /** Fills one template with a class name. */
  public static String fill(String template, String className) {
    return template.replace("{}", className.toLowerCase(Locale.ROOT));
  }

  /** The named set ({@code simple}) or, for any other value, a single literal template. */
  public static List<String> named(String name) {
    if ("simple".equals(name)) {
      return SIMPLE;
    }
    if (!name.contains("{}")) {
      throw new IllegalArgumentException("unknown template set '" + name + "' (known: simple, or a template with {})");
    }
    return List.of(name);
  }
}
