import { requirePageUser } from "@/lib/auth/session";

export const metadata = { title: "Batches" };

export default async function BatchesPage() {
  await requirePageUser("viewer");
  return (
    <>
      <h1 className="mb-4 text-3xl font-bold">Batches</h1>
      <p>Batches are coming soon.</p>
    </>
  );
}
