import type { Sql } from "postgres";

// COPY … FROM STDIN in text format: the fastest way to load a million rows.
export function copyValue(v: unknown): string {
  if (v === null || v === undefined) return "\\N";
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return `{${v.join(",")}}`;
  const s = typeof v === "object" ? JSON.stringify(v) : String(v);
  return s.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r");
}

export async function copyRows(sql: Sql, table: string, columns: string[], rows: unknown[][]) {
  if (rows.length === 0) return;
  const stream = await sql.unsafe(`copy ${table} (${columns.join(", ")}) from stdin`).writable();
  const lines: string[] = [];
  const flush = async () => {
    const chunk = lines.join("");
    lines.length = 0;
    if (!stream.write(chunk)) await new Promise((resolve) => stream.once("drain", resolve));
  };
  for (const row of rows) {
    lines.push(`${row.map(copyValue).join("\t")}\n`);
    if (lines.length >= 2000) await flush();
  }
  await flush();
  await new Promise<void>((resolve, reject) => {
    stream.on("finish", resolve);
    stream.on("error", reject);
    stream.end();
  });
}
