import { OVERVIEW_CLAIMS_LINKS } from "../claims/overview-links";

// Views every person has: the overview's figures, each opening the list that counts exactly its
// figure (lib/claims/overview-links.ts; tests/e2e/saved-views.spec.ts holds each count to its figure).
export const BUILT_IN_VIEWS = [
  { name: "Silent failures", href: OVERVIEW_CLAIMS_LINKS.silentFailures },
  { name: "Outstanding black hole", href: OVERVIEW_CLAIMS_LINKS.outstandingBlackHole },
  { name: "Failed, needing a person", href: OVERVIEW_CLAIMS_LINKS.failed },
] as const;
