import { type PDFDocument, type PDFObject, PDFRawStream, type PDFRef, PDFWriter } from "pdf-lib";
import { FileRangeStream } from "./file-source";
import { FAST_SAVE } from "./load";

// A document saved as a sequence of chunks instead of one buffer: the same bytes savePdf gives,
// but a large evidence file never exists whole a second time. The image data of a scan (nearly
// all of its bytes) is handed on as the views into the file it was parsed from; only the PDF's
// own syntax (object headers, dictionaries, the xref table) is written into small buffers.

const CHUNK_BYTES = 256 * 1024;
// Stream contents at least this large go out as they are, not copied into a chunk.
const AS_IS_BYTES = 64 * 1024;

type Serialized = {
  size: number;
  header: Writable;
  indirectObjects: [PDFRef, PDFObject][];
  xref?: Writable;
  trailerDict?: Writable;
  trailer: Writable;
};
type Writable = { sizeInBytes(): number; copyBytesInto(buffer: Uint8Array, offset: number): number };

const ascii = (s: string) => Buffer.from(s, "latin1");

/**
 * The bytes of `doc` as savePdf(doc) would write them (FAST_SAVE: no object streams), in chunks.
 * Chunks may be views into the bytes the document was loaded from: the consumer must not keep or
 * change them beyond writing them on.
 */
export async function* savePdfChunks(doc: PDFDocument): AsyncGenerator<Uint8Array> {
  await doc.flush(); // what save() does first: embedded fonts and images become objects
  // computeBufferSize is protected in the types; it is what serializeToBuffer itself starts with.
  const writer = PDFWriter.forContext(doc.context, FAST_SAVE.objectsPerTick ?? 50) as unknown as {
    computeBufferSize(): Promise<Serialized>;
  };
  const { size, header, indirectObjects, xref, trailerDict, trailer } = await writer.computeBufferSize();

  let chunk = new Uint8Array(CHUNK_BYTES);
  let filled = 0;
  let written = 0;
  const take = () => {
    const out = chunk.subarray(0, filled);
    written += filled;
    chunk = new Uint8Array(CHUNK_BYTES);
    filled = 0;
    return out;
  };
  // Copies a piece of syntax in; a piece larger than a chunk gets a buffer of its own.
  function* put(piece: Writable | Uint8Array): Generator<Uint8Array> {
    const length = piece instanceof Uint8Array ? piece.byteLength : piece.sizeInBytes();
    if (filled + length > CHUNK_BYTES && filled > 0) yield take();
    if (length > CHUNK_BYTES) {
      const own = new Uint8Array(length);
      if (piece instanceof Uint8Array) own.set(piece);
      else piece.copyBytesInto(own, 0);
      written += length;
      yield own;
      return;
    }
    if (piece instanceof Uint8Array) chunk.set(piece, filled);
    else piece.copyBytesInto(chunk, filled);
    filled += length;
  }

  yield* put(header);
  yield* put(ascii("\n\n"));
  for (const [ref, object] of indirectObjects) {
    yield* put(ascii(`${ref.objectNumber} ${ref.generationNumber} obj\n`));
    if (object instanceof PDFRawStream && object.getContentsSize() >= AS_IS_BYTES) {
      // PDFStream.copyBytesInto's layout, with the contents passed on instead of copied.
      object.updateDict();
      yield* put(object.dict);
      yield* put(ascii("\nstream\n"));
      if (filled > 0) yield take();
      // Contents still in the evidence file are read from it a block at a time.
      for (const contents of object instanceof FileRangeStream ? object.blocks() : [object.getContents()]) {
        written += contents.byteLength;
        yield contents;
      }
      yield* put(ascii("\nendstream"));
    } else yield* put(object);
    yield* put(ascii("\nendobj\n\n"));
  }
  if (xref) {
    yield* put(xref);
    yield* put(ascii("\n"));
  }
  if (trailerDict) {
    yield* put(trailerDict);
    yield* put(ascii("\n\n"));
  }
  yield* put(trailer);
  if (filled > 0) yield take();
  // The xref offsets were computed from the sizes: a mismatch would be a corrupt file.
  if (written !== size) throw new Error(`savePdfChunks wrote ${written} bytes where the xref expects ${size}`);
}
