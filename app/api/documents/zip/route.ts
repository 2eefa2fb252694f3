import { recordAudit } from "@/db/queries/audit";
import { getDocumentsFor, getMainClaimId } from "@/db/queries/claim-detail";
import { requestOrigin } from "@/lib/actions/define-action";
import { requireApiUser } from "@/lib/auth/session";
import { zipEntryNames, zipResponse } from "@/lib/claims/documents";
import { getDb } from "@/lib/db";
import { parseUrlId } from "@/lib/url-id";

// GET /api/documents/zip?attemptId=… or ?claimId=…: every stamped PDF of one attempt, or of all a
// claim's backups (a 674 resolves to its 686c's), as one zip. Same role and audit as one PDF.
export async function GET(request: Request) {
  const user = await requireApiUser("triager");
  if (user instanceof Response) return user;
  const query = new URL(request.url).searchParams;
  const attemptId = parseUrlId(query.get("attemptId"));
  const claimId = parseUrlId(query.get("claimId"));
  if (!attemptId === !claimId)
    return Response.json({ error: "Give exactly one of attemptId or claimId." }, { status: 400 });

  const db = getDb();
  const mainClaimId = claimId ? await getMainClaimId(db, claimId) : null;
  if (claimId && !mainClaimId) return Response.json({ error: "No such claim." }, { status: 404 });
  const docs = await getDocumentsFor(db, attemptId ? { attemptId } : { claimId: mainClaimId! });
  if (docs.length === 0) return Response.json({ error: "No documents." }, { status: 404 });

  await recordAudit(db, {
    user,
    action: "document.download",
    claimIds: [docs[0].claimId],
    details: { zip: true, attemptId, claimId, documentIds: docs.map((d) => d.id) },
    ...(await requestOrigin()),
  });
  const names = zipEntryNames(docs, !attemptId);
  const archive = attemptId
    ? `claim-${docs[0].claimId}-attempt-${docs[0].attemptNumber}.zip`
    : `claim-${mainClaimId}-documents.zip`;
  return zipResponse(
    archive,
    docs.map((d, i) => ({ name: names[i], storageKey: d.storageKey })),
  );
}
