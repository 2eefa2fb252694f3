import type { VeteranInfo } from "@/db/form-data";
import { asObject, formatAddress, formatClaimDate, formatDate, formatName, str } from "./format";
import { type FormWriter, MUTED } from "./layout";

export type FormType = "21-526EZ" | "21-686C" | "21-674";

export const FORM_TYPES: readonly FormType[] = ["21-526EZ", "21-686C", "21-674"];

/** What every rendered form shows besides its data. */
export type RenderContext = { claimGuid: string; submittedAt: Date };

export function isFormType(value: unknown): value is FormType {
  return typeof value === "string" && (FORM_TYPES as readonly string[]).includes(value);
}

export function veteranOf(data: unknown): Partial<VeteranInfo> {
  return asObject<VeteranInfo>(asObject<{ veteran: unknown }>(data).veteran);
}

/** "Testperson, Alex" for the running header: the way a claims file is labelled. */
export function veteranHeaderName(veteran: Partial<VeteranInfo>): string {
  const last = str(veteran.lastName);
  const first = str(veteran.firstName);
  return [last, first].filter(Boolean).join(", ") || "Veteran name not provided";
}

/** The claim block and the veteran block that open every form. */
export function writeClaimAndVeteran(w: FormWriter, veteran: Partial<VeteranInfo>, ctx: RenderContext): void {
  w.row("Confirmation number", ctx.claimGuid);
  w.row("Date of claim", formatClaimDate(ctx.submittedAt));

  w.heading("Veteran's identification");
  w.row("Name", formatName(veteran));
  w.row("VA file number / SSN", str(veteran.fileNumber));
  w.row("Date of birth", formatDate(veteran.dateOfBirth));
  w.row("Mailing address", formatAddress(asObject(veteran.address)));
  w.row("Telephone", str(veteran.phone));
  w.row("Email address", str(veteran.email));
}

export function writeRemarks(w: FormWriter, remarks: unknown): void {
  w.heading("Remarks");
  const text = str(remarks);
  w.paragraph(text || "No remarks.", text ? {} : { color: MUTED });
}
