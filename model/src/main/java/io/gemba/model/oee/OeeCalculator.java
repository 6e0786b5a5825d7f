package io.gemba.model.oee;

/**
 * OEE after Nakajima and ISO 22400-2.
 *
 * <ul>
 *   <li>availability = run time / planned production time
 *   <li>performance = ideal cycle time × total count / run time
 *   <li>quality = good count / total count
 *   <li>OEE = availability × performance × quality = ideal cycle time × good count / planned
 *       production time
 * </ul>
 *
 * OEE is computed from the last form, which is what the product of the three reduces to and which
 * stays defined when quality is not (a window with run time but no finished part has OEE 0).
 *
 * <p>Performance is not clamped. Over a short window a part whose cycle began in the previous
 * window can push it above 1; clamping would make a sum of windows disagree with the whole.
 */
public final class OeeCalculator {

  private OeeCalculator() {}

  public static OeeFigures compute(OeeInputs in) {
    double availability = ratio(in.runMs(), in.plannedMs());
    double performance = ratio(in.netRunMs(), in.runMs());
    double quality = ratio(in.goodCount(), in.totalCount());
    double oee = ratio(in.fullyProductiveMs(), in.plannedMs());
    return new OeeFigures(availability, performance, quality, oee);
  }

  private static double ratio(double numerator, double denominator) {
    return denominator == 0 ? Double.NaN : numerator / denominator;
  }
}
