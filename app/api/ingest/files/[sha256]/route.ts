import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { LIMITS } from "@/lib/ingest/contract";
import { bodyChunks, receiveEvidenceFile, SHA256_PATTERN } from "@/lib/ingest/evidence";
import { refuseUnlessIngestToken } from "@/lib/ingest/submissions-request";
import { getDocumentStorage } from "@/lib/storage";

export const dynamic = "force-dynamic";

const answer = (status: number, body: Record<string, unknown>) =>
  Response.json(body, { status, headers: { "Cache-Control": "no-store" } });

// PUT /api/ingest/files/{sha256}: one evidence file, named by the SHA-256 of its bytes, as records
// cite it. Stored only when the bytes match the name; the claims waiting for it may then start.
export async function PUT(request: Request, { params }: { params: Promise<{ sha256: string }> }) {
  const refused = refuseUnlessIngestToken(request);
  if (refused) return refused;
  const { sha256 } = await params;
  if (!SHA256_PATTERN.test(sha256))
    return answer(400, { error: "The path must end in a SHA-256: 64 lowercase hex characters." });
  const limitText = `Evidence files may be at most ${LIMITS.fileBytes / 1024 / 1024} MB.`;
  if (Number(request.headers.get("content-length") ?? 0) > LIMITS.fileBytes) return answer(413, { error: limitText });
  const outcome = await receiveEvidenceFile(getDb(), getDocumentStorage(getEnv()), sha256, bodyChunks(request.body));
  switch (outcome.result) {
    case "stored":
      return answer(201, outcome);
    case "already_stored":
      return answer(200, outcome);
    case "too_large":
      return answer(413, { error: limitText });
    case "empty":
      return answer(400, { error: "The file is empty." });
    case "unsupported_type":
      return answer(415, { error: "Evidence must be a PDF, JPEG or PNG file; nothing was stored." });
    case "hash_mismatch":
      return answer(422, {
        error: "The bytes do not match the SHA-256 they were sent under; nothing was stored.",
        expected: outcome.expected,
        actual: outcome.actual,
      });
  }
}
