package org.abdflow.engine.spec;

import java.nio.file.Path;

/**
 * A plugin JAR the spec pins by its SHA-256 ({@code plugins: [{path: x.jar, sha256: HEX}]}): the run
 * is refused unless the file has that digest, checked before any plugin is loaded.
 *
 * @param jar the JAR, absolute and normalised
 * @param sha256 the expected digest, 64 lower-case hex digits
 * @param location where the spec pins it
 */
public record PinnedPlugin(Path jar, String sha256, SourceLocation location) {}
