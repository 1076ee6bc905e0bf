package ai.holysheep.k8s.e2e.sim;

import java.time.Duration;

/**
 * Fluent builder of a {@link Fault}; every field starts inactive and {@code times} at every
 * request.
 */
public final class FaultBuilder {
  private Integer status;
  private String retryAfter;
  private Duration headerDelay;
  private Duration eventDelay;
  private boolean errorInStream;
  private boolean resetBeforeHeaders;
  private Integer resetAfterEvents;
  private Integer stallAfterEvents;
  private boolean hang;
  private int times = Fault.EVERY_REQUEST;
  private String path;
  private boolean html;
  private String errorObject;
  private String errorCode;
  private boolean errorKeyLast;
  private Duration commentEvery;
  private Duration firstEventDelay;
  private boolean noDone;
  private Long answerSize;
  private Duration drip;
  private boolean notSse;
  private boolean repeatUsage;
  private Long eventSize;

  FaultBuilder() {}

  static FaultBuilder from(Fault f) {
    FaultBuilder b = new FaultBuilder();
    b.status = f.status();
    b.retryAfter = f.retryAfter();
    b.headerDelay = f.headerDelay();
    b.eventDelay = f.eventDelay();
    b.errorInStream = f.errorInStream();
    b.resetBeforeHeaders = f.resetBeforeHeaders();
    b.resetAfterEvents = f.resetAfterEvents();
    b.stallAfterEvents = f.stallAfterEvents();
    b.hang = f.hang();
    b.times = f.times();
    b.path = f.path();
    b.html = f.html();
    b.errorObject = f.errorObject();
    b.errorCode = f.errorCode();
    b.errorKeyLast = f.errorKeyLast();
    b.commentEvery = f.commentEvery();
    b.firstEventDelay = f.firstEventDelay();
    b.noDone = f.noDone();
    b.answerSize = f.answerSize();
    b.drip = f.drip();
    b.notSse = f.notSse();
    b.repeatUsage = f.repeatUsage();
    b.eventSize = f.eventSize();
    return b;
  }

  public FaultBuilder status(Integer value) {
    status = value;
    return this;
  }

  public FaultBuilder retryAfter(String value) {
    retryAfter = value;
    return this;
  }

  public FaultBuilder headerDelay(Duration value) {
    headerDelay = value;
    return this;
  }

  public FaultBuilder eventDelay(Duration value) {
    eventDelay = value;
    return this;
  }

  public FaultBuilder errorInStream(boolean value) {
    errorInStream = value;
    return this;
  }

  public FaultBuilder resetBeforeHeaders(boolean value) {
    resetBeforeHeaders = value;
    return this;
  }

  public FaultBuilder resetAfterEvents(Integer value) {
    resetAfterEvents = value;
    return this;
  }

  public FaultBuilder stallAfterEvents(Integer value) {
    stallAfterEvents = value;
    return this;
  }

  public FaultBuilder hang(boolean value) {
    hang = value;
    return this;
  }

  public FaultBuilder times(int value) {
    times = value;
    return this;
  }

  public FaultBuilder path(String value) {
    path = value;
    return this;
  }

  public FaultBuilder html(boolean value) {
    html = value;
    return this;
  }

  public FaultBuilder errorObject(String value) {
    errorObject = value;
    return this;
  }

  public FaultBuilder errorCode(String value) {
    errorCode = value;
    return this;
  }

  public FaultBuilder errorKeyLast(boolean value) {
    errorKeyLast = value;
    return this;
  }

  public FaultBuilder commentEvery(Duration value) {
    commentEvery = value;
    return this;
  }

  public FaultBuilder firstEventDelay(Duration value) {
    firstEventDelay = value;
    return this;
  }

  public FaultBuilder noDone(boolean value) {
    noDone = value;
    return this;
  }

  public FaultBuilder answerSize(Long value) {
    answerSize = value;
    return this;
  }

  public FaultBuilder drip(Duration value) {
    drip = value;
    return this;
  }

  public FaultBuilder notSse(boolean value) {
    notSse = value;
    return this;
  }

  public FaultBuilder repeatUsage(boolean value) {
    repeatUsage = value;
    return this;
  }

  public FaultBuilder eventSize(Long value) {
    eventSize = value;
    return this;
  }

  public Fault build() {
    return new Fault(
        status,
        retryAfter,
        headerDelay,
        eventDelay,
        errorInStream,
        resetBeforeHeaders,
        resetAfterEvents,
        stallAfterEvents,
        hang,
        times,
        path,
        html,
        errorObject,
        errorCode,
        errorKeyLast,
        commentEvery,
        firstEventDelay,
        noDone,
        answerSize,
        drip,
        notSse,
        repeatUsage,
        eventSize);
  }
}
