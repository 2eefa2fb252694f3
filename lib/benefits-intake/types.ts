// Shapes of the Lighthouse Benefits Intake API v1 as this project uses them (docs/design.md §5).

export const UPLOAD_STATUSES = [
  "pending",
  "uploaded",
  "received",
  "processing",
  "success",
  "vbms",
  "error",
  "expired",
] as const;
export type UploadStatus = (typeof UPLOAD_STATUSES)[number];

export const BUSINESS_LINES = ["CMP", "PMC", "INS", "EDU", "VRE", "BVA", "FID", "NCA", "OTH"] as const;
export type BusinessLine = (typeof BUSINESS_LINES)[number];

export const FORM_TYPES = ["21-526EZ", "21-686C", "21-674"] as const;
export type FormType = (typeof FORM_TYPES)[number];

export const METADATA_SOURCE = "va.gov backup submission";

/** The `metadata` part of the multipart upload (the API's DocumentUploadMetadata). */
export interface UploadMetadata {
  veteranFirstName: string;
  veteranLastName: string;
  fileNumber: string;
  zipCode: string;
  source: string;
  docType: string;
  businessLine: string;
  claimDate: string;
}

export interface UploadLocation {
  uuid: string;
  /** Signed URL, valid for 900 s on the real service; PUT the package here without the apikey. */
  location: string;
}

export type PackageFile =
  | { fileName: string; bytes: Uint8Array }
  /** A document too large to hold (a 100 MB scan), read from storage as it is sent. */
  | { fileName: string; byteLength: number; open: () => AsyncIterable<Uint8Array> };

export interface UploadPackage {
  metadata: UploadMetadata;
  content: { fileName: string; bytes: Uint8Array };
  attachments: PackageFile[];
}

export interface UploadPackageResult {
  /** MD5 of the multipart body, hex; equal to the ETag the service returned. */
  md5: string;
  sizeBytes: number;
}

export interface UploadStatusResult {
  uuid: string;
  status: UploadStatus;
  /** Service error code (DOC101…DOC202), present when status is `error`. */
  code?: string;
  detail?: string;
  updatedAt: Date | null;
}

export type DocumentValidationResult = { valid: true; problems: [] } | { valid: false; problems: string[] };
