import Link from "next/link";
import { EndSession } from "@/components/auth/end-session";
import type { RefusalReason } from "@/lib/auth/oidc-access";

export const metadata = { title: "No access" };

// Where a refused sign-in, and a disabled account's next click, land: what happened and who can
// change it, in plain words. No session is needed to read it.
const REFUSALS: Record<RefusalReason, { heading: string; text: string }> = {
  no_allowed_group: {
    heading: "No access to Claim Triage",
    text:
      "You signed in, but your account is not in any of the groups allowed to use Claim Triage. " +
      "Ask your supervisor or the identity team to add you to the triage group, then sign in again.",
  },
  unverified_email: {
    heading: "Your e-mail address is not verified",
    text:
      "The identity provider has not verified the e-mail address on your account, so Claim Triage cannot accept it. " +
      "Verify it with the identity provider (or ask the identity team), then sign in again.",
  },
  incomplete_profile: {
    heading: "Sign-in could not be completed",
    text:
      "The identity provider did not send an account id and an e-mail address, which Claim Triage needs. " +
      "Tell the identity team.",
  },
  disabled: {
    heading: "Your account is disabled",
    text:
      "An admin of Claim Triage has disabled your account, and you have been signed out. " +
      "Ask an admin if you think this is a mistake.",
  },
};

export default async function RefusedPage({ searchParams }: { searchParams: Promise<{ reason?: string }> }) {
  const { reason } = await searchParams;
  const known = reason && Object.hasOwn(REFUSALS, reason) ? (reason as RefusalReason) : "incomplete_profile";
  const refusal = REFUSALS[known];
  return (
    <main className="mx-auto mt-16 max-w-lg rounded bg-white p-8 shadow">
      <h1 className="mb-2 text-2xl font-bold">{refusal.heading}</h1>
      <p className="mb-4">{refusal.text}</p>
      {known === "disabled" && <EndSession />}
      <Link href="/signin" className="text-primary underline">
        Back to sign-in
      </Link>
    </main>
  );
}
