import Link from "next/link";

export default function ClaimNotFound() {
  return (
    <div className="max-w-xl rounded bg-white p-6 shadow">
      <h1 className="mb-2 text-2xl font-bold">No such claim</h1>
      <p className="mb-4">There is no claim with that id. Check the link, or search for it in the list.</p>
      <Link href="/claims" className="font-semibold text-primary-dark underline">
        Back to all claims
      </Link>
    </div>
  );
}
