package ai.holysheep.k8s.e2e.sim;

/** Parses sizes for faults: a number of bytes, or a string such as "512", "64Ki", "60Mi", "1Gi". */
final class SimSizes {
  private SimSizes() {}

  static long parse(String field, Object value) {
    if (value instanceof Number number && number.doubleValue() == number.longValue()) {
      return number.longValue();
    }
    String text = value.toString().trim();
    long unit = 1;
    if (text.endsWith("Ki")) {
      unit = 1024;
    } else if (text.endsWith("Mi")) {
      unit = 1024 * 1024;
    } else if (text.endsWith("Gi")) {
      unit = 1024L * 1024 * 1024;
    }
    String digits = unit == 1 ? text : text.substring(0, text.length() - 2);
    try {
      return Math.multiplyExact(Long.parseLong(digits), unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(
          field + ": \"" + value + "\" is not a size; use bytes or a number with Ki, Mi or Gi");
    }
  }
}
