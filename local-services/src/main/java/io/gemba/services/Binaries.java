package io.gemba.services;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds the Debian binaries the local services run, and says which package to install if not. */
final class Binaries {

  private Binaries() {}

  static Path require(String name, String debianPackage) {
    List<Path> candidates = new ArrayList<>();
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(":")) {
      if (!dir.isEmpty()) {
        candidates.add(Path.of(dir, name));
      }
    }
    // Debian installs some daemons to sbin, which a non-root PATH often lacks.
    candidates.add(Path.of("/usr/sbin", name));
    candidates.add(Path.of("/usr/bin", name));
    for (Path candidate : candidates) {
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new ServiceStartException(
        "'"
            + name
            + "' was not found on PATH or in /usr/sbin; install the Debian package '"
            + debianPackage
            + "' (apt-get install -y "
            + debianPackage
            + ")");
  }
}
