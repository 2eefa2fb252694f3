// What Benefits Intake checks after a package is PUT, in the order it checks, with its codes.
// The metadata rules are the app's own validator (lib/benefits-intake/metadata.ts), so the local
// service can never accept what the app would flag, or the other way round.

import { validateMetadata } from "@/lib/benefits-intake/metadata";
import { MultipartError, type MultipartPart, parseMultipart } from "./multipart";
import { checkPdf } from "./pdf-check";

export type PackageErrorCode = "DOC101" | "DOC102" | "DOC103" | "DOC106" | "DOC107" | "DOC108";

export interface PackageDocument {
  part: string;
  pages: number;
  sizeBytes: number;
}

export type PackageOutcome =
  | { ok: true; metadata: Record<string, unknown>; parts: MultipartPart[]; documents: PackageDocument[] }
  | { ok: false; code: PackageErrorCode; detail: string; parts?: MultipartPart[]; metadata?: unknown };

const ATTACHMENT_NAME = /^attachment\d+$/;
const PART_TYPES = new Set(["application/pdf", "application/json"]);

function attachmentNumber(name: string): number {
  return Number(name.slice("attachment".length));
}

function mediaType(part: MultipartPart): string | undefined {
  return part.contentType?.split(";")[0].trim().toLowerCase();
}

export async function validatePackage(body: Buffer, contentType: string | undefined): Promise<PackageOutcome> {
  if (body.length === 0) return { ok: false, code: "DOC107", detail: "Empty payload" };

  let parsed: MultipartPart[];
  try {
    parsed = parseMultipart(body, contentType);
  } catch (err) {
    const why = err instanceof MultipartError ? err.message : "unreadable";
    return { ok: false, code: "DOC101", detail: `Invalid multipart payload: ${why}` };
  }
  // Like the real parser: every part needs a PDF or JSON content type, and a repeated name
  // replaces the earlier part.
  const byName = new Map<string, MultipartPart>();
  for (const part of parsed) {
    const type = mediaType(part);
    if (!type) return { ok: false, code: "DOC101", detail: "Missing content-type header" };
    if (!PART_TYPES.has(type))
      return { ok: false, code: "DOC101", detail: `Unsupported content-type ${type.slice(0, 60)}` };
    byName.set(part.name, part);
  }
  // Parts named otherwise ("attachment_1", "Attachment2") are ignored, as the real service does.
  const parts = [...byName.values()].filter(
    (p) => p.name === "metadata" || p.name === "content" || ATTACHMENT_NAME.test(p.name),
  );

  const metadataPart = byName.get("metadata");
  if (!metadataPart) return { ok: false, code: "DOC102", detail: "No metadata part present", parts };
  if (mediaType(metadataPart) !== "application/json") {
    return { ok: false, code: "DOC102", detail: "Incorrect content-type for metadata part", parts };
  }
  const content = byName.get("content");
  if (!content) return { ok: false, code: "DOC103", detail: "Submission did not include a document.", parts };
  if (mediaType(content) !== "application/pdf") {
    return { ok: false, code: "DOC103", detail: "Incorrect content-type for document part", parts };
  }

  let metadata: unknown;
  try {
    metadata = JSON.parse(metadataPart.data.toString("utf8"));
  } catch {
    return { ok: false, code: "DOC102", detail: "Invalid JSON object", parts };
  }
  const problems = validateMetadata(metadata);
  if (problems.length > 0) {
    return { ok: false, code: "DOC102", detail: `Invalid metadata: ${problems.join("; ")}`, parts, metadata };
  }

  const attachments = parts
    .filter((p) => ATTACHMENT_NAME.test(p.name))
    .sort((a, b) => attachmentNumber(a.name) - attachmentNumber(b.name));
  const documents: PackageDocument[] = [];
  for (const part of [content, ...attachments]) {
    const result = await checkPdf(part.data, part.name);
    if (!result.ok) return { ok: false, code: result.code, detail: result.detail, parts, metadata };
    documents.push({ part: part.name, pages: result.pages, sizeBytes: part.data.length });
  }
  return { ok: true, metadata: metadata as Record<string, unknown>, parts, documents };
}
