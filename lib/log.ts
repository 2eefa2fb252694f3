import pino from "pino";

// Structured JSON logs. Never log PII: log claim and attempt ids; the redact list is a second net.
export const log = pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: { service: process.env.CLAIM_TRIAGE_SERVICE ?? "web" },
  redact: {
    paths: [
      "*.veteranFirstName",
      "*.veteranLastName",
      "*.fileNumber",
      "*.email",
      "*.ssn",
      "*.firstName",
      "*.lastName",
      "*.metadata",
      "*.personalisation",
      "*.recipient",
      "*.emailAddress",
    ],
    censor: "[redacted]",
  },
});
