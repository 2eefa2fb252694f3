import { PDFDocument, type PDFFont } from "pdf-lib";
import type { FormData } from "@/db/form-data";
import { FORM_526EZ_TITLE, write526ez } from "./form-526ez";
import { FORM_674_KEEP_OUT, FORM_674_TITLE, write674 } from "./form-674";
import { FORM_686C_TITLE, write686c } from "./form-686c";
import { type FormType, isFormType, type RenderContext, veteranHeaderName, veteranOf } from "./form-common";
import { embedFormFonts, FormWriter, type KeepOut } from "./layout";
import { savePdf } from "./load";
import { applyStamps, type StampSpec } from "./stamp";

export type { FormType, RenderContext } from "./form-common";

type FormDefinition = {
  number: string; // as printed on the form
  title: string;
  keepOut: KeepOut[];
  write: (w: FormWriter, data: unknown, ctx: RenderContext) => void;
};

const FORMS: Record<FormType, FormDefinition> = {
  "21-526EZ": { number: "21-526EZ", title: FORM_526EZ_TITLE, keepOut: [], write: write526ez },
  "21-686C": { number: "21-686c", title: FORM_686C_TITLE, keepOut: [], write: write686c },
  "21-674": { number: "21-674", title: FORM_674_TITLE, keepOut: FORM_674_KEEP_OUT, write: write674 },
};

export class UnknownFormTypeError extends Error {
  readonly permanent = true;
  constructor(readonly formType: string) {
    super(`No PDF renderer for form type ${JSON.stringify(formType)}`);
    this.name = "UnknownFormTypeError";
  }
}

export type RenderedForm = { doc: PDFDocument; font: PDFFont };

/**
 * Lays out a form into an open document (not yet saved), so the backup flow can stamp it and
 * write it once instead of saving, re-parsing and saving again.
 */
export async function renderFormDocument(
  formType: FormType | string,
  data: unknown,
  ctx: RenderContext,
): Promise<RenderedForm> {
  if (!isFormType(formType)) throw new UnknownFormTypeError(formType);
  const form = FORMS[formType];
  const doc = await PDFDocument.create({ updateMetadata: false });
  // Dated from the claim, not the clock: rendering the same claim twice gives the same bytes, so
  // content-addressed storage keeps one copy across attempts.
  doc.setTitle(`VA Form ${form.number}: ${form.title}`);
  doc.setSubject(`Backup submission of claim ${ctx.claimGuid}`);
  doc.setCreator("Claim Triage backup flow");
  doc.setProducer("pdf-lib");
  doc.setCreationDate(ctx.submittedAt);
  doc.setModificationDate(ctx.submittedAt);

  const fonts = embedFormFonts(doc);
  const writer = new FormWriter(doc, fonts, form.keepOut);
  form.write(writer, data, ctx);
  writer.finish({ formNumber: form.number, veteranName: veteranHeaderName(veteranOf(data)), claimGuid: ctx.claimGuid });
  return { doc, font: fonts.helvetica.regular };
}

/**
 * Renders a form's data to a Letter PDF. With `stamps`, the stamps are drawn in the same pass:
 * the same stamps stampPdf would add, with one save instead of save, parse and save again.
 */
export async function renderForm(
  formType: FormType,
  data: FormData | Record<string, unknown>, // saved_claims.form_data; read defensively
  opts: RenderContext & { stamps?: StampSpec },
): Promise<Uint8Array> {
  const { doc, font } = await renderFormDocument(formType, data, opts);
  if (opts.stamps) applyStamps(doc, opts.stamps, font);
  return savePdf(doc);
}
