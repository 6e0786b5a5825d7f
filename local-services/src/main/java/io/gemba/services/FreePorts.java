package io.gemba.services;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Free TCP ports on the loopback interface, for the services, simulators and tests a process starts
 * next to each other. A port is free when asked; whoever binds it next wins, so callers bind soon
 * after.
 */
public final class FreePorts {

  private FreePorts() {}

  /** A TCP port nothing listens on at 127.0.0.1 right now. */
  public static int next() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }
}
