package io.gemba.jobs.anomaly;

import java.io.Serializable;
import java.util.Arrays;
import org.apache.commons.math3.complex.Complex;
import org.apache.commons.math3.transform.DftNormalization;
import org.apache.commons.math3.transform.FastFourierTransformer;
import org.apache.commons.math3.transform.TransformType;

/**
 * Finds a periodic swing in a signal: a loose mount, a hunting control loop, a failing bearing. It
 * looks at the sample-to-sample changes of the last {@value #WINDOW} samples (changes, so that a
 * signal that wanders like a temperature does not look periodic; the largest clipped to a few times
 * the median change, so that the jumps of state changes do not dominate) and computes their
 * periodogram every {@value #EVERY} samples. A swing puts its power into one frequency (two, when
 * it falls between them); noise, and the slow settling of a signal after each state change, spread
 * theirs smoothly over neighbouring frequencies. So each pair of adjacent frequencies is compared
 * with the median power of the {@value #NEIGHBOURS} frequencies around it: without a swing, the
 * ratio exceeds {@link #PEAK_ALARM} by chance about once in 10^9 pairs.
 *
 * <p>Signals that swing by their nature (an axis following a motion program) have a high ratio all
 * the time: a signal is judged only while its usual ratio, learnt from windows without an alarm,
 * stays below {@link #USUAL_MAX}.
 *
 * <p>Works on samples, not seconds, so that a signal read every 10 ms and one read every 5 minutes
 * are judged alike: it finds periods from 2 to {@value #WINDOW}/{@value #LOWEST} samples. Memory:
 * {@value #WINDOW} floats per signal.
 */
final class OscillationCheck implements Serializable {

  private static final long serialVersionUID = 1L;

  static final int WINDOW = 512;
  static final int EVERY = 64;
  static final int NEIGHBOURS = 32;
  static final double PEAK_ALARM = 35;
  static final double USUAL_MAX = 20;
  static final int LEARN_WINDOWS = 8;
  static final double CLIP = 3;
  static final int PERSIST = 3;

  /**
   * The lowest frequency judged, in cycles per window: periods up to {@value #WINDOW}/{@value
   * #LOWEST} samples. Slower swings are what state changes make of a signal that settles after each
   * (a temperature heating and cooling with the machine's stops), not oscillation.
   */
  static final int LOWEST = 16;

  private static final FastFourierTransformer FFT =
      new FastFourierTransformer(DftNormalization.STANDARD);

  /**
   * What one window gave.
   *
   * @param judged the signal normally has no swing, so {@code peak} means something
   * @param peak the largest ratio of a pair of frequencies to the power around them
   * @param persists the peak was above {@link #PEAK_ALARM} at the same frequency in the last
   *     {@value #PERSIST} windows
   * @param periodSamples the period of that pair, in samples
   */
  record Window(boolean judged, double peak, boolean persists, double periodSamples) {

    /** Whether the window shows a swing: judged, and a peak at one frequency for a while. */
    boolean alarm() {
      return judged && persists;
    }
  }

  private final float[] changes = new float[WINDOW];
  private int filled;
  private int next;
  private int sinceWindow;
  private double usual = Double.NaN;
  private int lastPeakAt;
  private int peakRun;
  private int learnt;

  /**
   * Adds the change from the previous sample; returns the window's verdict every {@value #EVERY}
   * samples once the window is full, else null.
   */
  Window add(double change) {
    changes[next] = (float) change;
    next = (next + 1) % WINDOW;
    filled = Math.min(filled + 1, WINDOW);
    if (filled < WINDOW || ++sinceWindow < EVERY) {
      return null;
    }
    sinceWindow = 0;
    double[] x = new double[WINDOW];
    double[] size = new double[WINDOW];
    for (int i = 0; i < WINDOW; i++) {
      x[i] = changes[(next + i) % WINDOW];
      size[i] = Math.abs(x[i]);
    }
    // The few large changes of state changes would ripple across the spectrum like interference:
    // clipped to a few times the usual change, they weigh no more than a swing's changes do.
    Arrays.sort(size);
    double clip = CLIP * size[WINDOW / 2];
    for (int i = 0; i < WINDOW; i++) {
      x[i] = Math.max(-clip, Math.min(clip, x[i]));
    }
    double[] power = periodogram(x);
    double best = 0;
    int at = 0;
    double[] around = new double[NEIGHBOURS];
    for (int k = LOWEST; k + 1 < power.length; k++) {
      // The neighbours on both sides, leaving out the pair and the frequency next to each.
      int n = 0;
      for (int d = 2; n < NEIGHBOURS && d < power.length; d++) {
        if (k - d >= 1 && n < NEIGHBOURS) {
          around[n++] = power[k - d];
        }
        if (k + 1 + d < power.length && n < NEIGHBOURS) {
          around[n++] = power[k + 1 + d];
        }
      }
      double[] sorted = Arrays.copyOf(around, n);
      Arrays.sort(sorted);
      double median = sorted[n / 2];
      double ratio = median <= 0 ? 0 : (power[k] + power[k + 1]) / median;
      if (ratio > best) {
        best = ratio;
        at = power[k] >= power[k + 1] ? k : k + 1;
      }
    }
    // A swing keeps its frequency from window to window; a chance peak of noise moves.
    boolean same = best > PEAK_ALARM && Math.abs(at - lastPeakAt) <= 1;
    peakRun = best > PEAK_ALARM ? (same ? peakRun + 1 : 1) : 0;
    lastPeakAt = at;
    boolean judged = learnt >= LEARN_WINDOWS && usual < USUAL_MAX;
    return new Window(judged, best, peakRun >= PERSIST, at == 0 ? 0 : (double) WINDOW / at);
  }

  /**
   * Learns the signal's usual peak from a window without an alarm; a window with a peak above
   * {@link #PEAK_ALARM} teaches nothing, so that a swing that is only starting does not become
   * usual (and a signal that always swings is never judged).
   */
  void learn(Window w) {
    if (w.peak() > PEAK_ALARM) {
      return;
    }
    usual = Double.isNaN(usual) ? w.peak() : usual + 0.1 * (w.peak() - usual);
    learnt++;
  }

  /** The power at frequencies 0..n/2 of {@code x}, whose length is a power of two. */
  static double[] periodogram(double[] x) {
    Complex[] f = FFT.transform(x, TransformType.FORWARD);
    double[] power = new double[x.length / 2 + 1];
    for (int k = 0; k < power.length; k++) {
      double re = f[k].getReal();
      double im = f[k].getImaginary();
      power[k] = re * re + im * im;
    }
    return power;
  }
}
