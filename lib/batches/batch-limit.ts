// The most backups one batch may hold (BATCH_MAX_CLAIMS, 100,000 by default: a retry list's row
// limit, and about 2.5 s to write at a million claims, well inside the web's statement time-out).
// A batch is written in one transaction when it is created (lib/batches/create-batch.ts), so an
// "all matching" over the cap is refused, not cut short: the triager splits the filter instead, and
// the resubmit dialog says so before anything is tried (lib/claims/dry-run.ts).

const fmt = new Intl.NumberFormat("en-US");

export const batchLimitText = (limit: number) => `One batch holds at most ${fmt.format(limit)} backups.`;

export class BatchTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(
      `This selection makes more than ${fmt.format(limit)} backups, the most one batch may hold; nothing was created. ` +
        "Narrow the filter (by form, triage state or submission date) and resubmit it in parts.",
    );
  }
}
