import { recordAudit } from "@/db/queries/audit";
import { getDocumentsFor } from "@/db/queries/claim-detail";
import { requestOrigin } from "@/lib/actions/define-action";
import { requireApiUser } from "@/lib/auth/session";
import { documentStorage, pdfResponse } from "@/lib/claims/documents";
import { getDb } from "@/lib/db";
import { parseUrlId } from "@/lib/url-id";

// GET /api/documents/:id (?inline=1 to preview): one stamped PDF. Triager and up only: the PDFs
// carry the veteran's PII. Every download or preview is audited.
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await requireApiUser("triager");
  if (user instanceof Response) return user;
  const documentId = parseUrlId((await params).id);
  if (!documentId) return Response.json({ error: "Not a document id." }, { status: 404 });
  const db = getDb();
  const [doc] = await getDocumentsFor(db, { documentId });
  if (!doc) return Response.json({ error: "No such document." }, { status: 404 });
  if (!(await documentStorage().has(doc.storageKey)))
    return Response.json({ error: "The file is missing from storage." }, { status: 410 });
  const inline = new URL(request.url).searchParams.get("inline") === "1";
  await recordAudit(db, {
    user,
    action: "document.download",
    claimIds: [doc.claimId],
    details: {
      documentId: doc.id,
      attemptId: doc.attemptId,
      fileName: doc.fileName,
      disposition: inline ? "inline" : "attachment",
    },
    ...(await requestOrigin()),
  });
  return pdfResponse(doc, inline);
}
