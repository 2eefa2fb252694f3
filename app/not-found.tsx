import { NotFoundMessage } from "@/components/layout/not-found-message";

// Any address the app does not have. It renders outside the signed-in layout (no session is
// needed to learn a page does not exist), so it carries its own landmark.
export const metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <main id="main" className="mx-auto max-w-screen-2xl px-6 py-10">
      <p className="mb-4 text-lg font-bold text-primary-dark">Claim Triage</p>
      <NotFoundMessage
        title="Page not found"
        links={[
          { href: "/", text: "Go to the overview" },
          { href: "/claims", text: "Claims" },
          { href: "/batches", text: "Batches" },
        ]}
      >
        There is no page at this address. It may have been mistyped, or the link is out of date.
      </NotFoundMessage>
    </main>
  );
}
