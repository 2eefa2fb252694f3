// The entry of a PDF thread (lib/pdf/package-pool.ts). A worker thread does not inherit the
// TypeScript loader the process was started with (`--import tsx` hooks apply to the main thread
// only), so it registers tsx itself, then loads the TypeScript module that does the work.
require("tsx/cjs/api").register();
require("./package-thread.ts");
