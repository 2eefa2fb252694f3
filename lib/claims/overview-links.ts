import type { LiveKpis } from "@/db/queries/overview";

// The overview's live figures that open the claims list, each with the list URL showing exactly the
// claims it counts (getLiveKpis). tests/integration/overview.test.ts holds each link's count to its
// figure, so a filter the list does not read cannot slip in again.
export const OVERVIEW_CLAIMS_LINKS = {
  // Failed or never tried, veteran never told.
  silentFailures: "/claims?state=failed,never_tried&notified=no",
  outstandingBlackHole: "/claims?blackHole=yes&state=failed,never_tried",
  failed: "/claims?state=failed",
} as const satisfies Partial<Record<keyof LiveKpis, string>>;
