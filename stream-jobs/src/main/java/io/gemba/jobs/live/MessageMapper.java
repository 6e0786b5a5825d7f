package io.gemba.jobs.live;

import java.io.Serializable;

/** Turns a job result into the live message that announces it. */
@FunctionalInterface
public interface MessageMapper<T> extends Serializable {
  LiveMessage toMessage(T element);
}
