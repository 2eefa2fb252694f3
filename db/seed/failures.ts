import type { Random } from "./random";

// Primary-path failures as they were logged, ids and times included (the list groups them).
type FailureTemplate = { errorClass: string; message: (r: Random, at: Date) => string; weight: number };

const hex = (r: Random, n: number) => Array.from({ length: n }, () => r.int(0, 15).toString(16)).join("");

export const FAILURES: FailureTemplate[] = [
  {
    weight: 22,
    errorClass: "Net::ReadTimeout",
    message: (r) => `Net::ReadTimeout with #<TCPSocket:(closed)> after ${r.int(30, 90)} seconds`,
  },
  {
    weight: 16,
    errorClass: "Common::Exceptions::GatewayTimeout",
    message: (r) => `Gateway timeout: upstream EVSS did not answer within ${r.int(55, 60)}s (request ${r.uuid()})`,
  },
  {
    weight: 14,
    errorClass: "EVSS::ServiceUnavailable",
    message: (_r, at) => `EVSS returned 503 Service Unavailable at ${at.toISOString()}`,
  },
  {
    weight: 10,
    errorClass: "EVSS::InternalServerError",
    message: (r) => `EVSS 500 Internal Server Error: form526.submit.unknown (transaction ${r.int(100000, 999999)})`,
  },
  {
    weight: 8,
    errorClass: "Faraday::ConnectionFailed",
    message: () => "Failed to open TCP connection to evss.example.gov:443 (Connection refused)",
  },
  {
    weight: 7,
    errorClass: "EVSS::ValidationError",
    message: (r) => `Invalid address: zip code ${r.int(100, 9999)} is not valid for the state given`,
  },
  { weight: 4, errorClass: "EVSS::ValidationError", message: () => "Invalid mailing address: country not recognized" },
  {
    weight: 6,
    errorClass: "PdfFill::GenerationError",
    message: (r) => `PDF generation error: PdfFill::Forms failed on page ${r.int(1, 9)} (job ${hex(r, 24)})`,
  },
  {
    weight: 5,
    errorClass: "Sidekiq::JobTimeout",
    message: (r) => `Sidekiq job timed out after 600 seconds (jid ${hex(r, 24)})`,
  },
  {
    weight: 4,
    errorClass: "BGS::ShareError",
    message: (r) => `BGS ShareError: veteran record not found (participant ${r.int(600000000, 699999999)})`,
  },
  { weight: 4, errorClass: "EVSS::ErrorMiddleware::EVSSError", message: () => "EVSS error: max_retries_exceeded" },
];

const total = FAILURES.reduce((s, f) => s + f.weight, 0);

export function pickFailure(r: Random): FailureTemplate {
  let x = r.next() * total;
  for (const f of FAILURES) {
    x -= f.weight;
    if (x < 0) return f;
  }
  return FAILURES[0];
}
