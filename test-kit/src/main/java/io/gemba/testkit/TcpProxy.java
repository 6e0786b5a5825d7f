package io.gemba.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on loopback between a client and a server, which a test can cut as a network
 * partition would: {@link #cut} closes every connection through it and refuses new ones until
 * {@link #restore}, on the same port. The server and its state are untouched.
 */
public final class TcpProxy implements AutoCloseable {

  private final String targetHost;
  private final int targetPort;
  private final int port;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private volatile ServerSocket listener;

  private TcpProxy(String targetHost, int targetPort, int port) {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.port = port;
  }

  /** Relays connections to its port on loopback to {@code targetHost:targetPort}. */
  public static TcpProxy start(String targetHost, int targetPort) throws IOException {
    ServerSocket first = new ServerSocket();
    first.setReuseAddress(true);
    first.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    TcpProxy proxy = new TcpProxy(targetHost, targetPort, first.getLocalPort());
    proxy.listen(first);
    return proxy;
  }

  public int port() {
    return port;
  }

  /** Drops every connection and refuses new ones: both sides see their connection lost. */
  public synchronized void cut() throws IOException {
    ServerSocket l = listener;
    listener = null;
    if (l != null) {
      l.close();
    }
    for (Socket s : open) {
      s.close();
    }
    open.clear();
  }

  /** Accepts connections again on the same port. */
  public synchronized void restore() throws IOException {
    if (listener != null) {
      return;
    }
    ServerSocket l = new ServerSocket();
    l.setReuseAddress(true);
    l.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    listen(l);
  }

  private void listen(ServerSocket l) {
    listener = l;
    Thread acceptor =
        new Thread(
            () -> {
              while (!l.isClosed()) {
                try {
                  Socket client = l.accept();
                  Socket server = new Socket(targetHost, targetPort);
                  client.setTcpNoDelay(true);
                  server.setTcpNoDelay(true);
                  open.add(client);
                  open.add(server);
                  pump(client, server);
                  pump(server, client);
                } catch (IOException e) {
                  // Closed by cut() or close(), or the target refused: the client sees it closed.
                }
              }
            },
            "tcp-proxy-" + port);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              byte[] buffer = new byte[16 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  out.write(buffer, 0, n);
                  out.flush();
                }
              } catch (IOException e) {
                // One side closed: close the other so that the peer notices too.
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "tcp-proxy-pump-" + port);
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // Closed already.
    }
  }

  @Override
  public void close() throws IOException {
    cut();
  }
}
