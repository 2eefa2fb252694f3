import { vi } from "vitest";

// `server-only` throws outside a React server bundle; in tests the server code runs as plain Node.
vi.mock("server-only", () => ({}));
