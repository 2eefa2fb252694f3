import { once } from "node:events";
import { createInflate } from "node:zlib";

// A zlib stream is measured by inflating it in 64 KiB pieces that are counted and dropped: a
// decompression bomb (a few MB that inflate to many GB) costs the time to reach the cap, never
// the memory of its output.

export type InflateCount = { bytes: number; overCap: boolean; complete: boolean };

/**
 * How many bytes `data` inflates to, stopping once past `cap`. `complete` is false when the
 * stream is cut short or damaged (the bytes counted until then are still reported). The data
 * may come in blocks (a stream read from a file), each written before the next is taken.
 */
export function countInflated(data: Uint8Array | Iterable<Uint8Array>, cap: number): Promise<InflateCount> {
  return new Promise((resolve) => {
    const inflate = createInflate({ chunkSize: 64 * 1024 });
    let bytes = 0;
    let settled = false;
    const settle = (result: InflateCount) => {
      if (settled) return;
      settled = true;
      inflate.removeAllListeners("data");
      inflate.destroy();
      resolve(result);
    };
    inflate.on("data", (chunk: Buffer) => {
      bytes += chunk.byteLength;
      if (bytes > cap) settle({ bytes, overCap: true, complete: false });
    });
    inflate.on("end", () => settle({ bytes, overCap: false, complete: true }));
    inflate.on("error", () => settle({ bytes, overCap: false, complete: false }));
    if (data instanceof Uint8Array) return inflate.end(data);
    void (async () => {
      for (const block of data) {
        if (settled) return;
        // Copied: a block's buffer may be refilled with the next one while zlib still holds it.
        if (!inflate.write(Buffer.from(block)))
          await Promise.race([once(inflate, "drain"), once(inflate, "close")]).catch(() => {});
      }
      if (!settled) inflate.end();
    })();
  });
}
