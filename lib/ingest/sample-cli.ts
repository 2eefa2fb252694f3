import { writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { createIngestSample, sampleEvidence } from "@/db/seed/ingest-sample";

// `npm run ingest:sample -- --count N [--seed S] [--system NAME] [--files DIR] > sample.ndjson`: ingest
// records as a system of record would send them (db/seed/ingest-sample.ts: the mix of DESIGN §9),
// one per line, for trying `npm run ingest` or the API by hand. With --files, the evidence file the
// records refer to is written to DIR as <sha256>.png, ready for PUT /api/ingest/files/{sha256}.

async function main() {
  const { values } = parseArgs({
    options: {
      count: { type: "string", default: "1000" },
      seed: { type: "string", default: "12012" },
      system: { type: "string", default: "vets-api-sample" },
      files: { type: "string" },
    },
  });
  const count = Number(values.count);
  if (!Number.isInteger(count) || count < 1) throw new Error("--count must be a whole number of at least 1");
  if (values.files) {
    const evidence = sampleEvidence();
    writeFileSync(path.join(values.files, `${evidence.sha256}.png`), evidence.bytes);
  }
  const next = createIngestSample({ seed: Number(values.seed), system: values.system });
  const out = process.stdout;
  let written = 0;
  let buffer: string[] = [];
  while (written < count) {
    for (const record of next()) {
      if (written >= count) break; // a group cut short: its 674s wait for a 686c that never comes
      buffer.push(JSON.stringify(record));
      written++;
    }
    if (buffer.length >= 500 || written >= count) {
      if (!out.write(`${buffer.join("\n")}\n`)) await new Promise((resolve) => out.once("drain", resolve));
      buffer = [];
    }
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
