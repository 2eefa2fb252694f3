import { isIP } from "node:net";

// The client's address for the audit log, from X-Forwarded-For read right to left: each proxy
// appends the address it received the request from, so only the rightmost `hops` entries were
// written by our own proxies and everything left of them is whatever the client sent.
//
// hops = N (N proxies of ours in front of Next): the Nth entry from the right, the address our
// outermost proxy saw. A header with fewer entries did not come through our proxies: unknown (null).
//
// hops = 0 (clients reach Next directly): the socket address. Next 16 gives route handlers and
// server actions no socket; `next start` copies the socket address into X-Forwarded-For only when
// the request has no such header (node_modules/next/dist/server/base-server.js, `??=`). So the
// rightmost entry is the socket address unless the client sent the header itself, in which case
// the client chose it: with 0 hops the IP is a hint, not evidence (README, "Running in production").
export function clientIpFrom(forwardedFor: string | null | undefined, hops: number): string | null {
  if (!forwardedFor) return null;
  const entries = forwardedFor
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const entry = entries[entries.length - Math.max(hops, 1)];
  if (!entry) return null;
  // An address, nothing else: "unknown", a port or a made-up string is not recorded as one.
  const bare = entry.replace(/^\[(.*)\]$/, "$1");
  return isIP(bare) ? bare : null;
}
