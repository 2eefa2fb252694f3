import Link from "next/link";
import { requirePageUser } from "@/lib/auth/session";

export const metadata = { title: "Not allowed" };

export default async function ForbiddenPage({ searchParams }: { searchParams: Promise<{ need?: string }> }) {
  const user = await requirePageUser("viewer");
  const { need } = await searchParams;
  return (
    <main className="mx-auto mt-16 max-w-lg rounded bg-white p-8 shadow">
      <h1 className="mb-2 text-2xl font-bold">Not allowed</h1>
      <p className="mb-4">
        This page needs the <strong>{need === "admin" || need === "triager" ? need : "right"}</strong> role. You are
        signed in as {user.name} ({user.role}).
      </p>
      <Link href="/" className="text-primary underline">
        Back to the overview
      </Link>
    </main>
  );
}
