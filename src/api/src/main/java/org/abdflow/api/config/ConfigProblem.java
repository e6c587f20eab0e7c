package org.abdflow.api.config;

/** One thing wrong with a config map: the key and what is wrong with it. */
public record ConfigProblem(String key, String message) {}
