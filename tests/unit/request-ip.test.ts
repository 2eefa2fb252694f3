import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { clientIpFrom } from "@/lib/request-ip";

// The audit log's client IP: X-Forwarded-For read from the right, through TRUSTED_PROXY_HOPS of our
// own proxies, so what a client writes into the header itself is never taken for its address.

describe("clientIpFrom", () => {
  it("with one proxy of ours takes the address it appended, not what the client wrote before it", () => {
    expect(clientIpFrom("203.0.113.9", 1)).toBe("203.0.113.9");
    expect(clientIpFrom("6.6.6.6, 203.0.113.9", 1)).toBe("203.0.113.9");
    expect(clientIpFrom("1.1.1.1,6.6.6.6 ,  203.0.113.9", 1)).toBe("203.0.113.9");
  });

  it("with N proxies takes the Nth entry from the right (the address the outermost proxy saw)", () => {
    // client → CDN (appends the client) → load balancer (appends the CDN) → Next
    expect(clientIpFrom("6.6.6.6, 203.0.113.9, 10.0.0.2", 2)).toBe("203.0.113.9");
    expect(clientIpFrom("6.6.6.6, 203.0.113.9, 10.0.0.2, 10.0.0.3", 3)).toBe("203.0.113.9");
  });

  it("says unknown when the header is shorter than the proxy chain (the request went around it)", () => {
    expect(clientIpFrom("203.0.113.9", 2)).toBeNull();
    expect(clientIpFrom(null, 1)).toBeNull();
    expect(clientIpFrom("", 0)).toBeNull();
    expect(clientIpFrom(" , ", 1)).toBeNull();
  });

  it("with 0 hops takes the socket address Next put in the header (the rightmost entry)", () => {
    expect(clientIpFrom("127.0.0.1", 0)).toBe("127.0.0.1");
    expect(clientIpFrom("::ffff:127.0.0.1", 0)).toBe("::ffff:127.0.0.1");
    expect(clientIpFrom("6.6.6.6, 198.51.100.4", 0)).toBe("198.51.100.4");
  });

  it("records addresses only: IPv6 with or without brackets, never 'unknown', a port or a made-up string", () => {
    expect(clientIpFrom("2001:db8::1", 1)).toBe("2001:db8::1");
    expect(clientIpFrom("[2001:db8::1]", 1)).toBe("2001:db8::1");
    expect(clientIpFrom("unknown", 1)).toBeNull();
    expect(clientIpFrom("203.0.113.9:4711", 1)).toBeNull();
    expect(clientIpFrom("<script>", 1)).toBeNull();
  });
});

describe("TRUSTED_PROXY_HOPS", () => {
  it("defaults to 0 (the socket address) and takes a small whole number", () => {
    expect(parseEnv({ NODE_ENV: "development" }).TRUSTED_PROXY_HOPS).toBe(0);
    expect(parseEnv({ NODE_ENV: "development", TRUSTED_PROXY_HOPS: "2" }).TRUSTED_PROXY_HOPS).toBe(2);
    for (const bad of ["-1", "1.5", "many", "11"]) {
      expect(() => parseEnv({ NODE_ENV: "development", TRUSTED_PROXY_HOPS: bad })).toThrow(/TRUSTED_PROXY_HOPS/);
    }
  });
});
