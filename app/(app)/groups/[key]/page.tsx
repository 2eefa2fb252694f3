import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { actionLabel } from "@/components/audit/labels";
import { formatDateTime } from "@/components/claims/format";
import { GroupActions } from "@/components/failure-groups/group-actions";
import { GroupForm } from "@/components/failure-groups/group-form";
import { GroupStatusBadge } from "@/components/failure-groups/group-status-badge";
import { trendLabel } from "@/components/failure-groups/groups-table";
import { Sparkline } from "@/components/failure-groups/sparkline";
import { getFailureGroup, getGroupHistory, getGroupOwnerOptions } from "@/db/queries/failure-groups";
import { hasRole } from "@/lib/auth/roles";
import { requirePageUser } from "@/lib/auth/session";
import { CLAIMS_TABLE_OPTIONS, claimsHref } from "@/lib/claims/search-params";
import { getDb } from "@/lib/db";
import { FAILURE_GROUP_STATUSES, type FailureGroupStatus } from "@/lib/failure-groups/lifecycle";

type Props = { params: Promise<{ key: string }> };

const loadGroup = cache((key: string) => getFailureGroup(getDb(), key));
const number = new Intl.NumberFormat("en-US");

export async function generateMetadata({ params }: Props) {
  const group = await loadGroup((await params).key);
  return { title: group ? "Failure group" : "Failure group not found" };
}

export default async function FailureGroupPage({ params }: Props) {
  const user = await requirePageUser("viewer");
  const group = await loadGroup((await params).key);
  if (!group) notFound();
  const canOwn = hasRole(user, "triager");
  const [owners, history] = await Promise.all([
    canOwn ? getGroupOwnerOptions(getDb()) : Promise.resolve([]),
    getGroupHistory(getDb(), group.fingerprint),
  ]);
  const status = (FAILURE_GROUP_STATUSES as readonly string[]).includes(group.status)
    ? (group.status as FailureGroupStatus)
    : "open";
  const listHref = claimsHref({
    filter: { failureReason: group.fingerprint },
    table: { pageIndex: 0, pageSize: CLAIMS_TABLE_OPTIONS.defaultPageSize, sort: CLAIMS_TABLE_OPTIONS.defaultSort },
  });
  return (
    <>
      <p className="mb-2">
        <Link href="/groups" className="font-semibold text-primary-dark underline">
          All failure groups
        </Link>
      </p>
      <h1 className="mb-2 text-2xl font-bold">Failure group</h1>
      <p className="mb-3 break-words rounded bg-gray-100 p-3 font-mono text-sm" data-testid="group-fingerprint">
        {group.fingerprint}
      </p>
      {group.reopenedAt && group.status === "open" && (
        <p
          role="status"
          className="mb-3 rounded border-l-4 border-warning bg-yellow-50 p-3"
          data-testid="group-reopened"
        >
          {group.reopenedReason} ({formatDateTime(group.reopenedAt)})
        </p>
      )}
      <div className="mb-4 flex flex-wrap items-center gap-3">
        <GroupStatusBadge
          status={group.status}
          ignoreUntilAt={group.ignoreUntilAt}
          ignoreUntilCount={group.ignoreUntilCount}
          reopened={group.reopenedAt !== null}
        />
        <span>
          Owner: <strong data-testid="group-owner">{group.ownerName ?? "Nobody"}</strong>
        </span>
        {group.ticketUrl && (
          <a href={group.ticketUrl} className="font-semibold text-primary-dark underline" rel="noreferrer noopener">
            Ticket
          </a>
        )}
      </div>
      <dl className="mb-6 grid gap-4 sm:grid-cols-2 lg:grid-cols-5">
        <Figure label="Claims">
          <Link href={listHref} className="text-primary-dark underline" data-testid="group-claims">
            {number.format(group.claims)}
          </Link>
        </Figure>
        <Figure label="Waiting for a person">{number.format(group.openClaims)}</Figure>
        <Figure label="First seen">{formatDateTime(group.firstSeen)}</Figure>
        <Figure label="Last seen">{formatDateTime(group.lastSeen)}</Figure>
        <Figure label="Last 30 days">
          <Sparkline values={group.trend} label={trendLabel(group.trend)} />
          <span className="block text-sm font-normal">{trendLabel(group.trend)}</span>
        </Figure>
      </dl>
      <div className="mb-6">
        <GroupActions
          fingerprint={group.fingerprint}
          openClaims={group.openClaims}
          canResubmit={canOwn && group.openClaims > 0}
          canExclude={hasRole(user, "admin") && group.openClaims > 0}
        />
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        {canOwn ? (
          <GroupForm
            fingerprint={group.fingerprint}
            status={status}
            ownerUserId={group.ownerUserId}
            notes={group.notes}
            ticketUrl={group.ticketUrl}
            ignoreUntilDay={group.ignoreUntilAt?.toISOString().slice(0, 10) ?? null}
            ignoreUntilCount={group.ignoreUntilCount}
            owners={owners}
            me={user.id}
          />
        ) : (
          <section className="rounded border border-base-light bg-white p-4">
            <h2 className="text-xl font-bold">Notes</h2>
            <p className="whitespace-pre-wrap">{group.notes ?? "No notes."}</p>
          </section>
        )}
        <section className="rounded border border-base-light bg-white p-4" aria-labelledby="group-history">
          <h2 id="group-history" className="mb-2 text-xl font-bold">
            History
          </h2>
          {history.length === 0 ? (
            <p className="text-muted">Nothing has been done to this group yet.</p>
          ) : (
            <ol className="space-y-2" data-testid="group-history">
              {history.map((h) => (
                <li key={h.id} className="border-b border-base-light pb-2 text-sm">
                  <span className="font-semibold">{actionLabel(h.action)}</span>{" "}
                  <span className="text-muted">
                    by {h.userEmail === "worker" ? "the worker" : h.userEmail}, {formatDateTime(h.at)}
                  </span>
                  {h.reason && <span className="block">{h.reason}</span>}
                  {h.action === "group.update" && <span className="block">{describeChanges(h.details)}</span>}
                  {h.batchId !== null && (
                    <Link href={`/batches/${h.batchId}`} className="block text-primary-dark underline">
                      Batch #{h.batchId}
                    </Link>
                  )}
                </li>
              ))}
            </ol>
          )}
        </section>
      </div>
    </>
  );
}

function Figure({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="rounded border border-base-light bg-white p-3">
      <dt className="text-sm text-muted">{label}</dt>
      <dd className="text-lg font-semibold tabular-nums">{children}</dd>
    </div>
  );
}

const FIELD_LABEL: Record<string, string> = {
  status: "status",
  ownerUserId: "owner",
  notes: "notes",
  ticketUrl: "ticket link",
  ignoreUntilAt: "ignore until a day",
  ignoreUntilCount: "ignore until new failures",
};

function describeChanges(details: Record<string, unknown> | null) {
  const changes = (details?.changes ?? {}) as Record<string, { from: unknown; to: unknown }>;
  return Object.entries(changes)
    .map(([field, c]) => (field === "status" ? `status ${c.from} → ${c.to}` : `${FIELD_LABEL[field] ?? field} changed`))
    .join("; ");
}
