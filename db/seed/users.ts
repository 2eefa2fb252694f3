// The development sign-in's users, seeded with the demo data.
export const SEED_USERS = [
  { email: "viewer@example.com", name: "Vera Viewer", role: "viewer" },
  { email: "triager@example.com", name: "Theo Triager", role: "triager" },
  { email: "admin@example.com", name: "Ada Admin", role: "admin" },
] as const;
