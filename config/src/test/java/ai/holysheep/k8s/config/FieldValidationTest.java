package ai.holysheep.k8s.config;

import static ai.holysheep.k8s.config.ConfigAssertions.assertOnlyError;
import static ai.holysheep.k8s.config.ConfigAssertions.errorsOf;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class FieldValidationTest {
  @Test
  void durationWithoutAUnitIsRejectedWithTheAllowedForm() {
    assertOnlyError(
        "timeout: 3 seconds",
        "timeout: \"3 seconds\" is not a duration; use a number with ms, s, m or h, e.g. 250ms, 30s, 10m");
  }

  @Test
  void durationGivenAsANumberIsRejected() {
    assertOnlyError(
        "{\"connectTimeout\": 5}",
        "connectTimeout: 5 is not a duration; use a number with ms, s, m or h, e.g. 250ms, 30s, 10m");
  }

  @Test
  void zeroDurationIsOutOfRange() {
    assertOnlyError(
        "streamIdleTimeout: 0s", "streamIdleTimeout: \"0s\" is out of range; allowed: 1ms to 1h");
  }

  @Test
  void durationAboveItsUpperBoundIsOutOfRange() {
    assertOnlyError(
        "connectTimeout: 6m", "connectTimeout: \"6m\" is out of range; allowed: 1ms to 5m");
    assertOnlyError(
        "circuitBreaker: {resetTimeout: 2h}",
        "circuitBreaker.resetTimeout: \"2h\" is out of range; allowed: 1ms to 1h");
  }

  @Test
  void timeoutLongerThanResponseTimeoutBlamesTimeout() {
    assertOnlyError(
        "{timeout: 11m, responseTimeout: 10m}",
        "timeout: \"11m\" is longer than responseTimeout (10m); allowed: at most responseTimeout");
  }

  @Test
  void responseTimeoutBelowTheDefaultTimeoutBlamesResponseTimeout() {
    assertOnlyError(
        "responseTimeout: 10s",
        "responseTimeout: \"10s\" is shorter than timeout (30s); allowed: at least timeout");
  }

  @Test
  void timeoutEqualToResponseTimeoutIsAccepted() {
    assertEquals(
        ConfigParser.parse("{timeout: 1m, responseTimeout: 60s}").timeout(),
        java.time.Duration.ofMinutes(1));
  }

  @Test
  void maxRetriesAboveTenIsOutOfRange() {
    assertOnlyError(
        "maxRetries: 11", "maxRetries: 11 is out of range; allowed: whole numbers from 0 to 10");
  }

  @Test
  void negativeMaxRetriesIsOutOfRange() {
    assertOnlyError(
        "maxRetries: -1", "maxRetries: -1 is out of range; allowed: whole numbers from 0 to 10");
  }

  @Test
  void maxRetriesAsStringOrFractionIsNotAWholeNumber() {
    assertOnlyError(
        "maxRetries: \"3\"",
        "maxRetries: \"3\" is not a whole number; allowed: whole numbers from 0 to 10");
    assertOnlyError(
        "maxRetries: 2.5",
        "maxRetries: 2.5 is not a whole number; allowed: whole numbers from 0 to 10");
  }

  @Test
  void hugeIntegerIsOutOfRangeNotAnOverflow() {
    assertOnlyError(
        "maxRetries: 99999999999999999999",
        "maxRetries: 99999999999999999999 is out of range; allowed: whole numbers from 0 to 10");
  }

  @Test
  void breakerPercentagesStayWithinOneToHundred() {
    assertOnlyError(
        "circuitBreaker: {failureRateThreshold: 101}",
        "circuitBreaker.failureRateThreshold: 101 is out of range; allowed: whole numbers from 1 to 100");
    assertOnlyError(
        "circuitBreaker: {failureThreshold: 0}",
        "circuitBreaker.failureThreshold: 0 is out of range; allowed: whole numbers from 1 to 1000");
    assertOnlyError(
        "circuitBreaker: {slidingWindowSize: 0}",
        "circuitBreaker.slidingWindowSize: 0 is out of range; allowed: whole numbers from 1 to 10000");
  }

  @Test
  void booleanGivenAsStringIsRejected() {
    assertOnlyError(
        "allowInsecure: \"true\"",
        "allowInsecure: \"true\" is not a boolean; allowed: true, false");
  }

  @Test
  void stringGivenAsNumberIsRejected() {
    assertOnlyError("healthCheck: {endpoint: 5}", "healthCheck.endpoint: 5 is not a string");
  }

  @Test
  void nestedObjectGivenAsScalarIsRejectedListingItsFields() {
    assertOnlyError(
        "healthCheck: yes please",
        "healthCheck: \"yes please\" is not an object; allowed fields: enabled, interval, endpoint,"
            + " timeout");
  }

  @Test
  void healthEndpointMustBeAPathWithoutQuery() {
    String allowed =
        " is not a path; allowed: '/' followed by path characters, no query or fragment, at most 256 characters,"
            + " e.g. /models";
    assertOnlyError(
        "healthCheck: {endpoint: models}", "healthCheck.endpoint: \"models\"" + allowed);
    assertOnlyError(
        "healthCheck: {endpoint: \"/models?x=1\"}",
        "healthCheck.endpoint: \"/models?x=1\"" + allowed);
  }

  @Test
  void caFileMustBeAnAbsolutePath() {
    assertOnlyError(
        "caFile: certs/ca.pem",
        "caFile: \"certs/ca.pem\" is not an absolute path; allowed: a PEM file path starting with '/'");
  }

  @Test
  void emptyCaFileMeansNone() {
    assertEquals(null, ConfigParser.parse("caFile: \"\"").caFile());
  }

  @Test
  void unknownTopLevelFieldIsRejectedListingTheAllowedNames() {
    assertOnlyError(
        "apiKey: sk-should-never-be-here",
        "apiKey: unknown field; allowed: baseUrl, apiKeySecretRef, apiKeyFile, allowInsecure, caFile, caPem, connectTimeout,"
            + " timeout, responseTimeout, streamIdleTimeout, maxRetries, circuitBreaker, healthCheck,"
            + " fallbacks, cache, hedging, maxEventSize");
  }

  @Test
  void unknownNestedFieldIsRejectedWithItsPath() {
    assertOnlyError(
        "circuitBreaker: {threshold: 3}",
        "circuitBreaker.threshold: unknown field; allowed: enabled, failureThreshold, failureRateThreshold,"
            + " slidingWindowSize, resetTimeout");
  }

  @Test
  void everyBadFieldIsReportedTogetherOncePerField() {
    List<String> errors =
        errorsOf(
            "timeout: soon\nmaxRetries: 50\ncircuitBreaker: {enabled: maybe, resetTimeout: 0ms}\n"
                + "cache: {mode: disk}\nbogus: 1\n");
    assertEquals(
        List.of(
            "bogus: unknown field; allowed: baseUrl, apiKeySecretRef, apiKeyFile, allowInsecure, caFile, caPem, connectTimeout,"
                + " timeout, responseTimeout, streamIdleTimeout, maxRetries, circuitBreaker, healthCheck,"
                + " fallbacks, cache, hedging, maxEventSize",
            "timeout: \"soon\" is not a duration; use a number with ms, s, m or h, e.g. 250ms, 30s, 10m",
            "maxRetries: 50 is out of range; allowed: whole numbers from 0 to 10",
            "circuitBreaker.enabled: \"maybe\" is not a boolean; allowed: true, false",
            "circuitBreaker.resetTimeout: \"0ms\" is out of range; allowed: 1ms to 1h",
            "cache.mode: \"disk\" is not a cache mode; allowed: off, memory, redis"),
        errors);
  }

  @Test
  void longValuesAreCutInMessages() {
    String longValue = "x".repeat(500);
    String error = errorsOf("timeout: " + longValue).get(0);
    assertEquals(
        "timeout: \""
            + "x".repeat(79)
            + "…\" is not a duration; use a number with ms, s, m or h, e.g. 250ms, 30s, 10m",
        error);
  }
}
