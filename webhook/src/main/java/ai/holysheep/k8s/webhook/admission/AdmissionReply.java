package ai.holysheep.k8s.webhook.admission;

import ai.holysheep.k8s.webhook.metrics.AdmissionOutcome;

/** The AdmissionReview JSON to send back, and how the admission is counted. */
record AdmissionReply(String json, AdmissionOutcome outcome) {}
