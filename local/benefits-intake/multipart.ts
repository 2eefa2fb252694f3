// A small multipart/form-data parser (RFC 7578) over a body already in memory. Enough for what
// Benefits Intake receives: a handful of parts, binary PDFs, no nested multiparts.

export interface MultipartPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

export class MultipartError extends Error {}

export function boundaryOf(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data\s*(;|$)/i.test(contentType.trim())) return undefined;
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

/** Parameters of a header such as `form-data; name="content"; filename="a.pdf"`. */
function headerParams(value: string): Record<string, string> {
  const params: Record<string, string> = {};
  const re = /;\s*([^=;\s]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
  for (let m = re.exec(value); m; m = re.exec(value)) {
    params[m[1].toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, "$1") : m[3].trim();
  }
  return params;
}

function parseHeaders(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon <= 0) throw new MultipartError("malformed part header");
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

export function parseMultipart(body: Buffer, contentType: string | undefined): MultipartPart[] {
  const boundary = boundaryOf(contentType);
  if (!boundary) throw new MultipartError("Content-Type is not multipart/form-data with a boundary");
  const delimiter = Buffer.from(`--${boundary}`);
  const nextDelimiter = Buffer.from(`\r\n--${boundary}`);

  // The first delimiter may follow a preamble; it must start a line.
  let pos = body.indexOf(delimiter);
  if (pos < 0 || (pos > 0 && body.toString("latin1", pos - 2, pos) !== "\r\n")) {
    throw new MultipartError("no multipart boundary found in the body");
  }
  const parts: MultipartPart[] = [];
  for (;;) {
    pos += delimiter.length;
    if (body.toString("latin1", pos, pos + 2) === "--") return parts; // closing delimiter
    // Transport padding (spaces, tabs) may precede the line break.
    while (body[pos] === 0x20 || body[pos] === 0x09) pos++;
    if (body.toString("latin1", pos, pos + 2) !== "\r\n") throw new MultipartError("malformed boundary line");
    pos += 2;
    const headerEnd = body.indexOf("\r\n\r\n", pos, "latin1");
    if (headerEnd < 0) throw new MultipartError("part headers are not terminated");
    // Header values are ASCII in practice; utf8 keeps non-ASCII file names readable.
    const headers = parseHeaders(body.toString("utf8", pos, headerEnd));
    const dataStart = headerEnd + 4;
    const dataEnd = body.indexOf(nextDelimiter, dataStart);
    if (dataEnd < 0) throw new MultipartError("multipart body is not terminated by its closing boundary");

    const disposition = headers["content-disposition"];
    if (!disposition || !/^form-data\b/i.test(disposition)) {
      throw new MultipartError("part without Content-Disposition: form-data");
    }
    const params = headerParams(disposition);
    if (!params.name) throw new MultipartError("part without a name");
    parts.push({
      name: params.name,
      filename: params.filename,
      contentType: headers["content-type"],
      data: body.subarray(dataStart, dataEnd),
    });
    pos = dataEnd + 2;
  }
}
