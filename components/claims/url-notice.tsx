import Link from "next/link";
import type { UrlProblem } from "@/lib/claims/url-problems";

// Says which of the link's values the list could not use, instead of dropping them without a word.
export function UrlNotice({ problems, swapHref }: { problems: UrlProblem[]; swapHref?: string }) {
  if (problems.length === 0) return null;
  return (
    <div role="status" className="mb-4 rounded border-l-4 border-warning bg-yellow-50 p-3" data-testid="url-problems">
      <p className="font-semibold">Part of this link could not be used</p>
      <ul className="ml-5 list-disc">
        {problems.map((p) => (
          <li key={`${p.param}-${p.value}`}>{p.message}</li>
        ))}
      </ul>
      {swapHref && (
        <Link href={swapHref} className="font-semibold text-primary-dark underline">
          Swap the dates
        </Link>
      )}
    </div>
  );
}
