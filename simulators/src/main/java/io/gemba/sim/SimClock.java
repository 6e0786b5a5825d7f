package io.gemba.sim;

/**
 * Simulated time: starts at {@code simOrigin} and runs {@code speed} times as fast as the wall
 * clock. Every timestamp a simulator publishes (OPC UA source timestamps, MQTT payloads, ground
 * truth) is simulated time, so an accelerated run is consistent end to end.
 */
public final class SimClock {

  private final long simOrigin;
  private final long wallOriginNanos;
  private final double speed;

  public SimClock(long simOrigin, double speed) {
    if (!(speed > 0)) {
      throw new IllegalArgumentException("speed must be positive, got " + speed);
    }
    this.simOrigin = simOrigin;
    this.wallOriginNanos = System.nanoTime();
    this.speed = speed;
  }

  /** A clock that follows the wall clock from now on. */
  public static SimClock realTime() {
    return new SimClock(System.currentTimeMillis(), 1.0);
  }

  /** Simulated now, epoch milliseconds. */
  public long now() {
    return simOrigin + (long) ((System.nanoTime() - wallOriginNanos) / 1e6 * speed);
  }

  public long origin() {
    return simOrigin;
  }

  public double speed() {
    return speed;
  }
}
