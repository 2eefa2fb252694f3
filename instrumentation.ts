// Runs once when the Next server starts, before it serves: a bad configuration, an unpatched
// database driver or a demo key on a database the demo did not make stops it here, with the reason.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { getEnv } = await import("./lib/env");
    const { checkStartUp } = await import("./lib/start-up");
    try {
      await checkStartUp(getEnv());
    } catch (e) {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    }
  }
}
