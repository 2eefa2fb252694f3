import { z } from "zod";

// Runs in the browser before the app's own code. Zod compiles object schemas with `new Function`
// when it may, and finds out by trying once: under the Content-Security-Policy (proxy.ts, no
// 'unsafe-eval') that try is refused and reported as a violation. Zod's interpreted path is used
// from the start instead.
z.config({ jitless: true });
