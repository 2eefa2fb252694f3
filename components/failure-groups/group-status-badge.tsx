import { FAILURE_GROUP_STATUS_LABEL, type FailureGroupStatus, ignoreCondition } from "@/lib/failure-groups/lifecycle";

const STYLE: Record<FailureGroupStatus, string> = {
  open: "border-red-800 bg-red-50 text-red-900",
  investigating: "border-yellow-800 bg-yellow-50 text-yellow-900",
  resolved: "border-green-800 bg-green-50 text-green-900",
  ignored: "border-gray-600 bg-gray-100 text-gray-800",
};

export function GroupStatusBadge(props: {
  status: string;
  ignoreUntilAt: Date | null;
  ignoreUntilCount: number | null;
  reopened: boolean;
}) {
  const status = (props.status in STYLE ? props.status : "open") as FailureGroupStatus;
  const label =
    status === "ignored"
      ? `Ignored ${ignoreCondition(props)}`
      : `${FAILURE_GROUP_STATUS_LABEL[status]}${props.reopened && status === "open" ? " (reopened)" : ""}`;
  return (
    <span
      className={`inline-block rounded border px-2 py-0.5 text-xs font-semibold ${STYLE[status]}`}
      data-testid="group-status"
    >
      {label}
    </span>
  );
}
