package io.gemba.services;

/** A local service that could not be started; the message says what to do about it. */
public final class ServiceStartException extends RuntimeException {
  public ServiceStartException(String message) {
    super(message);
  }

  public ServiceStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
