// A row id as it arrives in a URL path or query (a claim, a batch, a document, an attempt): digits
// only, at most 15 of them (every bigserial id this app will see, and always a safe integer), above
// zero. Anything else, "1e3", "0x10", " 7", "-1", is no id at all, answered as not found or refused.
export function parseUrlId(raw: string | null | undefined): number | null {
  if (!raw || !/^\d{1,15}$/.test(raw)) return null;
  const id = Number(raw);
  return id > 0 ? id : null;
}
