package org.abdflow.engine.report;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class RunManifestTest {
  private static final String A = "0123456789abcdef0123456789abcdef01234567";
  private static final String B = "89abcdef0123456789abcdef0123456789abcdef";

  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void theCommitIsReadFromLooseAndPackedRefsAndWorktrees() throws Exception {
    Path repo = tmp.newFolder("repo").toPath();
    Path git = Files.createDirectories(repo.resolve(".git/refs/heads"));
    Files.writeString(repo.resolve(".git/HEAD"), "ref: refs/heads/main\n");
    Files.writeString(git.resolve("main"), A + "\n");
    assertEquals(A, RunManifest.gitCommit(repo));

    Files.delete(git.resolve("main"));
    Files.writeString(repo.resolve(".git/packed-refs"), "# pack-refs with: peeled\n" + B + " refs/heads/other\n" + A + " refs/heads/main\n");
    assertEquals(A, RunManifest.gitCommit(repo));

    // a worktree: .git is a file naming its folder, whose commondir leads back to the shared refs
    Path wt = tmp.newFolder("wt").toPath();
    Path wtGit = Files.createDirectories(repo.resolve(".git/worktrees/wt"));
    Files.writeString(wt.resolve(".git"), "gitdir: " + wtGit + "\n");
    Files.writeString(wtGit.resolve("commondir"), "../..\n");
    Files.writeString(wtGit.resolve("HEAD"), "ref: refs/heads/other\n");
    assertEquals(B, RunManifest.gitCommit(wt));

    Files.writeString(wtGit.resolve("HEAD"), A + "\n");
    assertEquals("a detached HEAD is the commit itself", A, RunManifest.gitCommit(wt));
    assertNull(RunManifest.gitCommit(tmp.newFolder("plain").toPath()));
  }
}
