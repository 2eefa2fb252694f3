import { z } from "zod";
import { requestOrigin } from "@/lib/actions/define-action";
import { crossOriginRefusal } from "@/lib/auth/same-origin";
import { requireApiUser } from "@/lib/auth/session";
import { RATE_LIMITS } from "@/lib/batches/controls";
import {
  confirmRetryListImport,
  ImportChangedError,
  ImportEmptyError,
  previewRetryList,
} from "@/lib/batches/import-retry-list";
import { bytesOf, RETRY_LIST_LIMITS, RetryListFileError } from "@/lib/batches/parse-retry-list";
import { getDb } from "@/lib/db";
import { log } from "@/lib/log";
import { storableText } from "@/lib/storable-text";

// Import of a reviewed retry list (admin). A route handler rather than a server action because the
// file may be up to 5 MB, above the server actions' body limit. `mode=preview` returns the
// row-by-row report and creates nothing; `mode=confirm` sends the same file again with the hash of
// the accepted rows the admin reviewed, and creates a draft batch.

export const dynamic = "force-dynamic";

// A forged name or reason with a NUL byte made the confirmation fail with a 500 at the insert: refused up front.
const fieldsSchema = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("preview"), dedupe: z.enum(["newest", "keep_all"]).default("newest") }),
  z.object({
    mode: z.literal("confirm"),
    dedupe: z.enum(["newest", "keep_all"]).default("newest"),
    reviewedHash: z.string().regex(/^[0-9a-f]{64}$/, "The review is missing; upload the file again."),
    name: storableText(
      z.string().trim().min(1, "Give the batch a name.").max(200, "Keep the name under 200 characters."),
      "The name",
    ),
    reason: storableText(
      z
        .string()
        .trim()
        .min(1, "Give a reason (for example the ticket number).")
        .max(500, "Keep the reason under 500 characters."),
      "The reason",
    ),
    ratePerMinute: z.coerce.number().int("Use a whole number.").min(RATE_LIMITS.min).max(RATE_LIMITS.max),
  }),
]);

function fail(status: number, error: string, extra: Record<string, unknown> = {}) {
  return Response.json({ error, ...extra }, { status });
}

export async function POST(request: Request) {
  const forged = crossOriginRefusal(request);
  if (forged) return forged;
  const user = await requireApiUser("admin");
  if (user instanceof Response) return user;

  // Refuse an oversized upload before reading it (the multipart envelope adds a little).
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > RETRY_LIST_LIMITS.maxBytes + 64 * 1024)
    return fail(413, "The file is larger than 5 MB. Split the list into smaller files.");

  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return fail(400, "The upload could not be read. Choose the CSV file again.");
  }
  const file = form.get("file");
  if (!(file instanceof File)) return fail(400, "Choose a CSV file to import.");
  if (file.size > RETRY_LIST_LIMITS.maxBytes)
    return fail(413, "The file is larger than 5 MB. Split the list into smaller files.");
  const fields = fieldsSchema.safeParse(Object.fromEntries([...form.entries()].filter(([k]) => k !== "file")));
  if (!fields.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of fields.error.issues) {
      const key = issue.path.join(".") || "input";
      fieldErrors[key] = [...(fieldErrors[key] ?? []), issue.message];
    }
    return fail(400, "Some fields are not valid; nothing was imported.", { fieldErrors });
  }

  const db = getDb();
  // The name is only a label in the report and the audit record: control characters are dropped.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  const upload = { name: file.name.replace(/[\u0000-\u001f\u007f]/g, "").slice(0, 200), bytes: bytesOf(file.stream()) };
  try {
    if (fields.data.mode === "preview") {
      return Response.json({ report: await previewRetryList(db, upload, { dedupe: fields.data.dedupe }) });
    }
    const { mode: _mode, dedupe, reviewedHash, ...batch } = fields.data;
    const created = await confirmRetryListImport(db, {
      file: upload,
      options: { dedupe },
      reviewedHash,
      ...batch,
      user,
      origin: await requestOrigin(),
    });
    return Response.json({ batchId: created.batchId, itemCount: created.itemCount });
  } catch (e) {
    if (e instanceof RetryListFileError) return fail(422, e.message);
    if (e instanceof ImportChangedError) return fail(409, e.message, { report: e.report });
    if (e instanceof ImportEmptyError) return fail(422, e.message);
    log.error({ userId: user.id, err: e }, "retry list import failed");
    return fail(500, "The import failed on the server; nothing was created. Try again, or tell the on-call engineer.");
  }
}
