package io.gemba.api;

import io.gemba.api.security.PasswordsFile;
import io.gemba.api.security.UsersFile;
import io.gemba.model.asset.Park;
import io.gemba.model.config.ConfigException;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code api passwd --park F --users F --passwords F --user NAME}: sets a user's password for
 * signing in. The password is asked for twice on the terminal, or read as one line from standard
 * input when that is not a terminal; never from the command line, where other users of the machine
 * and the shell's history would see it.
 */
@Command(
    name = "passwd",
    mixinStandardHelpOptions = true,
    description =
        "Sets the password a user signs in with (asked on the terminal, or one line on standard"
            + " input), stored as an Argon2id hash in the passwords file.")
final class PasswdCommand implements Callable<Integer> {

  /** The shortest password accepted. */
  static final int MIN_LENGTH = 12;

  @Option(names = "--park", required = true, description = "Park file (YAML).")
  Path park;

  @Option(names = "--users", required = true, description = "Users file (YAML).")
  Path users;

  @Option(
      names = "--passwords",
      required = true,
      description = "Passwords file (created owner-readable only if missing).")
  Path passwords;

  @Option(names = "--user", required = true, description = "The user's name in the users file.")
  String user;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try {
      if (UsersFile.load(users, Park.load(park)).find(user).isEmpty()) {
        spec.commandLine().getErr().println("error: --user: no user '" + user + "' in " + users);
        return 2;
      }
    } catch (ConfigException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return 2;
    }
    char[] password = read();
    try {
      if (password == null) {
        spec.commandLine().getErr().println("error: the two passwords differ");
        return 2;
      }
      if (password.length < MIN_LENGTH) {
        spec.commandLine()
            .getErr()
            .println("error: a password needs at least " + MIN_LENGTH + " characters");
        return 2;
      }
      new PasswordsFile(passwords).set(user, password);
    } finally {
      if (password != null) {
        Arrays.fill(password, '\0');
      }
    }
    spec.commandLine().getOut().println("password of '" + user + "' set in " + passwords);
    return 0;
  }

  /** The new password; null when the two entries on the terminal differ. */
  private char[] read() throws IOException {
    Console console = System.console();
    if (console != null) {
      char[] first = console.readPassword("New password for %s: ", user);
      char[] second = console.readPassword("Again: ");
      boolean same = Arrays.equals(first, second);
      Arrays.fill(second, '\0');
      return same ? first : null;
    }
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line = in.readLine();
    return line == null ? new char[0] : line.toCharArray();
  }
}
