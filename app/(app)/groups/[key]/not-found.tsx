import { NotFoundMessage } from "@/components/layout/not-found-message";

export default function FailureGroupNotFound() {
  return (
    <NotFoundMessage
      title="Failure group not found"
      links={[
        { href: "/groups", text: "Back to all failure groups" },
        { href: "/claims", text: "Claims" },
      ]}
    >
      No claim fails this way any more, or the link is not a failure group&apos;s. Find the group in the list.
    </NotFoundMessage>
  );
}
