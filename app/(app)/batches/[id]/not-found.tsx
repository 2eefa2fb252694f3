import { NotFoundMessage } from "@/components/layout/not-found-message";

export default function BatchNotFound() {
  return (
    <NotFoundMessage
      title="Batch not found"
      links={[
        { href: "/batches", text: "Back to all batches" },
        { href: "/claims", text: "Claims" },
      ]}
    >
      There is no batch with that number. Check the link, or find the batch in the list of batches.
    </NotFoundMessage>
  );
}
