import { recordAudit } from "@/db/queries/audit";
import { getBatch, getBatchItemsExportPage } from "@/db/queries/batches";
import { requestOrigin } from "@/lib/actions/define-action";
import { canSeePii } from "@/lib/auth/roles";
import { requireApiUser } from "@/lib/auth/session";
import { csvResponse } from "@/lib/csv";
import { getDb } from "@/lib/db";
import { freeTextFor, MASK, veteranLabel } from "@/lib/pii";
import { parseUrlId } from "@/lib/url-id";

// A batch's items and their outcomes as CSV. Every role may export; names and file numbers are
// masked on the server for viewers, and so are retry-list notes (typed free text). The export itself
// is audited before the first row leaves.

export const dynamic = "force-dynamic";

const HEADER = [
  "item_id",
  "claim_id",
  "form_type",
  "veteran",
  "file_number",
  "submitted_at",
  "item_state",
  "claim_triage_state",
  "attempt_status",
  "benefits_intake_uuid",
  "message",
  "note",
  "updated_at",
];
const PAGE = 2_000;

export async function GET(_request: Request, ctx: { params: Promise<{ id: string }> }) {
  const user = await requireApiUser("viewer");
  if (user instanceof Response) return user;
  const { id } = await ctx.params;
  const parsedId = parseUrlId(id);
  if (parsedId === null) return Response.json({ error: "Not a batch id." }, { status: 400 });
  const batchId: number = parsedId; // narrowed, for the generator below
  const db = getDb();
  const batch = await getBatch(db, batchId);
  if (!batch) return Response.json({ error: `Batch #${batchId} does not exist.` }, { status: 404 });

  const pii = canSeePii(user);
  const reader = user; // narrowed, for the generator below
  await recordAudit(db, {
    user,
    action: "batch.export",
    batchId,
    claimCount: batch.itemCount,
    details: { piiMasked: !pii },
    ...(await requestOrigin()),
  });

  async function* pages() {
    let afterId = 0;
    for (;;) {
      const rows = await getBatchItemsExportPage(db, { batchId, afterId, limit: PAGE });
      if (rows.length === 0) return;
      afterId = Number(rows[rows.length - 1].id);
      yield rows.map((r) => [
        r.id,
        r.claimId,
        r.formType,
        veteranLabel(reader, { firstName: r.veteranFirstName, lastName: r.veteranLastName }),
        pii ? r.fileNumber : MASK,
        r.submittedAt,
        r.state,
        r.triageState,
        r.attemptStatus,
        r.benefitsIntakeUuid,
        r.message,
        freeTextFor(reader, r.note),
        r.updatedAt,
      ]);
      if (rows.length < PAGE) return;
    }
  }
  return csvResponse(`batch-${batchId}-items.csv`, HEADER, pages());
}
