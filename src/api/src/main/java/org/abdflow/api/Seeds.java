package org.abdflow.api;

import java.nio.charset.StandardCharsets;

/**
 * Seeds derived from (run seed, stage, record id), so that every runner, however it splits and
 * orders the work, draws the same random numbers for the same record.
 */
public final class Seeds {
  private Seeds() {}

  /** A seed for one record of one stage. */
  public static long forRecord(long runSeed, String stage, String recordId) {
    return mix(mix(runSeed, fnv(stage)), fnv(recordId));
  }

  /** A seed for one stage. */
  public static long forStage(long runSeed, String stage) {
    return mix(runSeed, fnv(stage));
  }

  /** Combines two 64-bit values (SplitMix64 finaliser over their sum). */
  public static long mix(long a, long b) {
    long z = a * 0x9E3779B97F4A7C15L + b;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static long fnv(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= (b & 0xff);
      h *= 0x100000001b3L;
    }
    return h;
  }

  /**
   * A standard normal draw by Box–Muller from two uniforms of {@code rng}, so that every plugin
   * that draws noise (BadNet's square, RoCLIP's initial bank) gets the same numbers on every JVM.
   */
  public static double gaussian(java.util.SplittableRandom rng) {
    double u1 = 1.0 - rng.nextDouble();
    double u2 = rng.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
  }
}
