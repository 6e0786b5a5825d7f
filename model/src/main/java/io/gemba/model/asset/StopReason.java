package io.gemba.model.asset;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Why a machine is not producing: the reason codes the simulators report with every state that is
 * not {@link MachineState#PRODUCING}, and the categories of a downtime Pareto.
 */
public enum StopReason {
  /** Unplanned stop for repair ({@link MachineState#DOWN}). */
  BREAKDOWN,
  /**
   * A short unplanned stop, a jam or a sensor trip ({@link MachineState#DOWN}, minutes at most).
   */
  MICRO_STOP,
  /** Product changeover ({@link MachineState#SETUP}). */
  CHANGEOVER,
  /** Waiting for material or an operator ({@link MachineState#IDLE}). */
  WAITING,
  /**
   * Ready, but the machine before it on a flow line delivers nothing ({@link MachineState#IDLE}).
   */
  STARVED,
  /**
   * Done, but the buffer to the next machine on a flow line is full ({@link MachineState#IDLE}).
   */
  BLOCKED,
  /**
   * Outside planned production: no shift, or a planned stop ({@link MachineState#PLANNED_STOP}).
   */
  PLANNED;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
