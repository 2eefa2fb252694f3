// Uploads of the local service: kept in memory (a restart forgets them, like a fresh sandbox),
// with each accepted package written to disk for inspection. A status is never stored as it
// changes; it is computed from the times an upload was created and PUT, so no timers run, and
// tests can move the clock (POST /_admin/clock) instead of waiting.

import { createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { UploadStatus } from "@/lib/benefits-intake/types";
import type { MultipartPart } from "./multipart";
import type { PackageDocument } from "./package-validation";

export type EndState = "vbms" | "error" | "expired";
export type Processing = { kind: "valid"; end: EndState } | { kind: "invalid"; code: string; detail: string };

export interface UploadRecord {
  uuid: string;
  createdAt: number;
  locationExpiresAt: number;
  /** Settings in force when the upload was made, so a later change does not rewrite its history. */
  stepMs: number;
  sandbox: boolean;
  /** Every PUT that reached this location, answered or not. */
  putCount: number;
  /** PUTs answered 200 (at most one: a location is never reused). */
  acceptedPutCount: number;
  uploadedAt?: number;
  processing?: Processing;
  override?: { status: UploadStatus; at: number };
  sizeBytes?: number;
  md5?: string;
  metadata?: unknown;
  documents?: PackageDocument[];
  reportSnapshot?: { at: number; view: StatusView };
}

export interface StatusView {
  uuid: string;
  status: UploadStatus;
  code?: string;
  detail?: string;
  updatedAt: number;
}

export const DOC202_DETAIL = "Downstream status: Error during processing by downstream system";
const VALID_PATH: UploadStatus[] = ["uploaded", "received", "processing", "success", "vbms"];
const ERROR_PATH: UploadStatus[] = ["uploaded", "received", "processing", "error"];

export function computeStatus(record: UploadRecord, now: number): StatusView {
  const base = { uuid: record.uuid };
  if (record.override) return { ...base, status: record.override.status, updatedAt: record.override.at };
  const { uploadedAt, processing } = record;
  if (uploadedAt === undefined || !processing) {
    return now >= record.locationExpiresAt
      ? { ...base, status: "expired", updatedAt: record.locationExpiresAt }
      : { ...base, status: "pending", updatedAt: record.createdAt };
  }
  const steps = record.stepMs > 0 ? Math.floor((now - uploadedAt) / record.stepMs) : Number.POSITIVE_INFINITY;
  const at = (step: number) => uploadedAt + step * record.stepMs;

  if (processing.kind === "invalid") {
    return steps < 1
      ? { ...base, status: "uploaded", updatedAt: uploadedAt }
      : { ...base, status: "error", code: processing.code, detail: processing.detail, updatedAt: at(1) };
  }
  if (processing.end === "expired") {
    // The PUT was answered but the package never registered: to the API it was never uploaded.
    return steps < 1
      ? { ...base, status: "pending", updatedAt: record.createdAt }
      : { ...base, status: "expired", updatedAt: at(1) };
  }
  const route = processing.end === "error" ? ERROR_PATH : VALID_PATH;
  let index = Math.min(steps, route.length - 1);
  if (record.sandbox) index = Math.min(index, VALID_PATH.indexOf("received"));
  const status = route[index];
  return status === "error"
    ? { ...base, status, code: "DOC202", detail: DOC202_DETAIL, updatedAt: at(index) }
    : { ...base, status, updatedAt: at(index) };
}

/** Signs upload locations the way a pre-signed URL is signed: only we can mint a valid one. */
export class LocationSigner {
  private readonly secret = randomBytes(32);

  private mac(uuid: string, expiresAt: number): string {
    return createHmac("sha256", this.secret).update(`${uuid}.${expiresAt}`).digest("hex");
  }

  path(uuid: string, expiresAt: number): string {
    return `/upload-locations/${uuid}?expires=${expiresAt}&signature=${this.mac(uuid, expiresAt)}`;
  }

  verify(uuid: string, expires: string | null, signature: string | null): boolean {
    if (!expires || !signature || !/^\d+$/.test(expires) || !/^[0-9a-f]{64}$/.test(signature)) return false;
    return timingSafeEqual(Buffer.from(this.mac(uuid, Number(expires)), "hex"), Buffer.from(signature, "hex"));
  }
}

export class UploadStore {
  private readonly uploads = new Map<string, UploadRecord>();

  constructor(
    private readonly dataDir: string,
    private readonly storePayloads: boolean,
  ) {}

  create(now: number, settings: { locationTtlMs: number; stepMs: number; sandbox: boolean }): UploadRecord {
    const record: UploadRecord = {
      uuid: randomUUID(),
      createdAt: now,
      locationExpiresAt: now + settings.locationTtlMs,
      stepMs: settings.stepMs,
      sandbox: settings.sandbox,
      putCount: 0,
      acceptedPutCount: 0,
    };
    this.uploads.set(record.uuid, record);
    return record;
  }

  get(uuid: string): UploadRecord | undefined {
    return this.uploads.get(uuid);
  }

  list(): UploadRecord[] {
    return [...this.uploads.values()];
  }

  clear(): void {
    this.uploads.clear();
  }

  /** The bulk report may serve a status up to `cacheMs` old, as the real one does. */
  reportView(record: UploadRecord, now: number, cacheMs: number): StatusView {
    const snapshot = record.reportSnapshot;
    if (cacheMs > 0 && snapshot && now - snapshot.at < cacheMs) return snapshot.view;
    const view = computeStatus(record, now);
    record.reportSnapshot = { at: now, view };
    return view;
  }

  /** Writes what was received: the known parts when the body parsed, else the raw body. */
  async persist(record: UploadRecord, body: Buffer, parts: MultipartPart[] | undefined): Promise<void> {
    if (!this.storePayloads) return;
    const dir = path.join(this.dataDir, record.uuid);
    await mkdir(dir, { recursive: true });
    // Only metadata, content and attachmentN are written, under those names: a client's own
    // part or file names never become paths.
    const known = (parts ?? []).filter((p) => /^(metadata|content|attachment\d+)$/.test(p.name));
    if (known.length > 0) {
      await Promise.all(
        known.map((p) => writeFile(path.join(dir, p.name === "metadata" ? "metadata.json" : `${p.name}.pdf`), p.data)),
      );
    } else {
      await writeFile(path.join(dir, "payload.bin"), body);
    }
    const summary = { uuid: record.uuid, md5: record.md5, sizeBytes: record.sizeBytes, processing: record.processing };
    await writeFile(path.join(dir, "upload.json"), JSON.stringify(summary, null, 2));
  }
}
