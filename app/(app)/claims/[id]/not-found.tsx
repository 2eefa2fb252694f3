import { NotFoundMessage } from "@/components/layout/not-found-message";

export default function ClaimNotFound() {
  return (
    <NotFoundMessage
      title="Claim not found"
      links={[
        { href: "/claims", text: "Back to all claims" },
        { href: "/", text: "Overview" },
      ]}
    >
      There is no claim with that id. Check the link, or search for the claim in the list by its id or confirmation
      number.
    </NotFoundMessage>
  );
}
