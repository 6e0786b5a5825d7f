package io.gemba.model.oee;

/**
 * Where planned time with a known state went, in milliseconds, as the six big losses. With the
 * fully productive time they add up to the known planned time:
 *
 * <ul>
 *   <li>availability: {@code unplannedStopMs} (idle and down at or above the micro-stop limit) and
 *       {@code plannedStopMs} (setup, changeover, and planned stops inside planned time);
 *   <li>performance: {@code smallStopMs} (stops below the limit) and {@code slowCycleMs} (producing
 *       time minus the ideal time of the parts made; negative when the machine beats its ideal
 *       cycle time, which means that ideal time is set too slow);
 *   <li>quality: {@code productionRejectMs} and {@code startupRejectMs}, the ideal time of rejected
 *       parts outside and inside the startup window after a setup.
 * </ul>
 */
public record SixBigLosses(
    double unplannedStopMs,
    double plannedStopMs,
    double smallStopMs,
    double slowCycleMs,
    double productionRejectMs,
    double startupRejectMs) {}
