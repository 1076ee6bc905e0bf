package ai.holysheep.k8s.e2e.soak;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A least-squares line through one series after warm-up, and the verdict: the series grows when
 * slope x fitted span exceeds {@link SoakSeries#allowedGrowth}. Samples where the probe failed (a
 * negative value) are left out.
 */
public record Slope(
    SoakSeries series, int points, double mean, double perMinute, double growth, double allowed) {

  public boolean flat() {
    return points >= 2 && growth <= allowed;
  }

  static Slope fit(SoakSeries series, List<Sample> samples) {
    List<double[]> points = new ArrayList<>();
    for (Sample s : samples) {
      double y = series.valueOf(s);
      if (y >= 0) {
        points.add(new double[] {s.atSeconds() / 60.0, y});
      }
    }
    int n = points.size();
    if (n < 2) {
      return new Slope(series, n, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    double meanX = 0;
    double meanY = 0;
    for (double[] p : points) {
      meanX += p[0] / n;
      meanY += p[1] / n;
    }
    double sxy = 0;
    double sxx = 0;
    for (double[] p : points) {
      sxy += (p[0] - meanX) * (p[1] - meanY);
      sxx += (p[0] - meanX) * (p[0] - meanX);
    }
    double perMinute = sxx == 0 ? 0 : sxy / sxx;
    double span = points.get(n - 1)[0] - points.get(0)[0];
    return new Slope(series, n, meanY, perMinute, perMinute * span, series.allowedGrowth(meanY));
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("series", series.name())
        .put("points", points)
        .put("mean", round(mean))
        .put("slopePerMinute", round(perMinute))
        .put("growthOverSpan", round(growth))
        .put("allowedGrowth", round(allowed))
        .put("flat", flat());
  }

  static double round(double value) {
    return Double.isNaN(value) ? value : Math.round(value * 1000) / 1000.0;
  }
}
