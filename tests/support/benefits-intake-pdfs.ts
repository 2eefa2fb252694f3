// Real PDFs for the Benefits Intake tests, made with pdf-lib: plain ones, ones with oversized
// pages, and encrypted ones (the PDF Standard security handler, revision 2: RC4 with a 40-bit
// key), since pdf-lib cannot encrypt by itself. The encryption is real: pdf.js opens them only
// with the password (checked in tests/unit/benefits-intake-pdfs.test.ts).

import { randomBytes } from "node:crypto";
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  type PDFObject,
  PDFRawStream,
  PDFString,
  StandardFonts,
} from "pdf-lib";
import { md5, PASSWORD_PAD, padPassword, rc4 } from "./pdf-test-files";

export async function makePdf(options: { pages?: number; size?: [number, number]; text?: string } = {}) {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < (options.pages ?? 1); i++) {
    const page = doc.addPage(options.size ?? [612, 792]);
    page.drawText(`${options.text ?? "Test document"} page ${i + 1}`, { x: 50, y: 50, size: 12, font });
  }
  return doc.save({ useObjectStreams: false });
}

/** Encrypts every string and stream of a PDF; no `user` password means "owner password only". */
export async function encryptPdf(plain: Uint8Array, passwords: { user?: string; owner: string }): Promise<Uint8Array> {
  const doc = await PDFDocument.load(plain, { updateMetadata: false });
  const { context } = doc;
  const user = passwords.user ?? "";
  const permissions = -44; // print and copy allowed, modify not
  const id = randomBytes(16);

  // Algorithms 2, 3 and 4 of the PDF specification (ISO 32000-1 §7.6.3.3), revision 2.
  const ownerEntry = rc4(md5(padPassword(passwords.owner || user)).subarray(0, 5), padPassword(user));
  const p = Buffer.alloc(4);
  p.writeInt32LE(permissions);
  const fileKey = md5(padPassword(user), ownerEntry, p, id).subarray(0, 5);
  const userEntry = rc4(fileKey, PASSWORD_PAD);

  const objectKey = (num: number, gen: number) => {
    const suffix = Buffer.from([num & 0xff, (num >> 8) & 0xff, (num >> 16) & 0xff, gen & 0xff, (gen >> 8) & 0xff]);
    return md5(fileKey, suffix).subarray(0, 10);
  };
  const encryptValue = (value: PDFObject, key: Buffer): PDFObject => {
    if (value instanceof PDFString || value instanceof PDFHexString) {
      return PDFHexString.of(rc4(key, value.asBytes()).toString("hex"));
    }
    if (value instanceof PDFDict) {
      for (const [name, inner] of value.entries()) value.set(name, encryptValue(inner, key));
    } else if (value instanceof PDFArray) {
      for (let i = 0; i < value.size(); i++) value.set(i, encryptValue(value.get(i), key));
    }
    return value;
  };

  for (const [ref, object] of context.enumerateIndirectObjects()) {
    const key = objectKey(ref.objectNumber, ref.generationNumber);
    if (object instanceof PDFRawStream) {
      encryptValue(object.dict, key);
      context.assign(ref, PDFRawStream.of(object.dict, rc4(key, object.contents)));
    } else {
      encryptValue(object, key);
    }
  }
  const encrypt = context.obj({
    Filter: PDFName.of("Standard"),
    V: PDFNumber.of(1),
    R: PDFNumber.of(2),
    O: PDFHexString.of(ownerEntry.toString("hex")),
    U: PDFHexString.of(userEntry.toString("hex")),
    P: PDFNumber.of(permissions),
  });
  context.trailerInfo.Encrypt = context.register(encrypt);
  const idHex = PDFHexString.of(id.toString("hex"));
  context.trailerInfo.ID = context.obj([idHex, idHex]);
  return doc.save({ useObjectStreams: false, updateFieldAppearances: false });
}

/** A real PDF cut short: the cross-reference table and trailer are gone. */
export async function makeTruncatedPdf(): Promise<Uint8Array> {
  const bytes = await makePdf({ pages: 3 });
  return bytes.slice(0, Math.floor(bytes.length / 2));
}
