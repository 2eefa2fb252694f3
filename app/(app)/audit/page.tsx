import { requirePageUser } from "@/lib/auth/session";

export const metadata = { title: "Audit log" };

export default async function AuditPage() {
  await requirePageUser("admin");
  return (
    <>
      <h1 className="mb-4 text-3xl font-bold">Audit log</h1>
      <p>The audit log is coming soon.</p>
    </>
  );
}
