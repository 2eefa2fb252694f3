import { requirePageUser } from "@/lib/auth/session";

export const metadata = { title: "Overview" };

export default async function OverviewPage() {
  await requirePageUser("viewer");
  return (
    <>
      <h1 className="mb-4 text-3xl font-bold">Overview</h1>
      <p>The leadership overview (KPIs and charts) is coming soon.</p>
    </>
  );
}
