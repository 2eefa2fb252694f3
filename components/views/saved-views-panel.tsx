"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useState, useTransition } from "react";
import { useTableUrl } from "@/components/data-table/table-url";
import { deleteView } from "@/lib/actions/views/delete-view";
import { COLUMNS_KEY, parseViewColumns } from "@/lib/views/columns";
import { viewHref, viewQuery } from "@/lib/views/saved-view";
import { SaveViewDialog } from "./save-view-dialog";

export type RailView = { id: number; name: string; shared: boolean; href: string; mine: boolean; ownerName: string };

const LINK = "block rounded px-2 py-1 text-primary-dark underline hover:bg-blue-50";
const CURRENT = "block rounded bg-primary-dark px-2 py-1 font-semibold text-white";

// The rail's views: the overview's figures as team views, views shared with the team, and the
// person's own; the one matching the list as it stands is marked current. "Save this view" keeps the
// list's filter, sort and columns under a name.
export function SavedViewsPanel(props: { builtIn: { name: string; href: string }[]; views: RailView[] }) {
  const { searchParams } = useTableUrl();
  const router = useRouter();
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const currentHref = useMemo(() => {
    const cols = parseViewColumns(searchParams.get(COLUMNS_KEY));
    return viewHref({ query: viewQuery(searchParams.toString()), columns: cols ?? [] });
  }, [searchParams]);
  const same = (href: string) => {
    const [, qs = ""] = href.split("?");
    const cols = parseViewColumns(new URLSearchParams(qs).get(COLUMNS_KEY));
    return viewHref({ query: viewQuery(qs), columns: cols ?? [] }) === currentHref;
  };
  const shared = props.views.filter((v) => v.shared);
  const mine = props.views.filter((v) => v.mine && !v.shared);

  const item = (v: { name: string; href: string }, extra?: React.ReactNode, testId?: string) => (
    <li key={`${v.name}-${v.href}`} className="flex items-start gap-1" data-testid={testId}>
      <Link href={v.href} aria-current={same(v.href) ? "page" : undefined} className={same(v.href) ? CURRENT : LINK}>
        {v.name}
      </Link>
      {extra}
    </li>
  );
  const remove = (v: RailView) =>
    v.mine ? (
      <button
        type="button"
        disabled={pending}
        onClick={() =>
          startTransition(async () => {
            const result = await deleteView({ viewId: v.id });
            setMessage("error" in result ? result.error : `Deleted the view “${v.name}”.`);
            router.refresh();
          })
        }
        className="ml-auto shrink-0 rounded px-1 text-sm text-muted underline hover:text-error"
        aria-label={`Delete the view ${v.name}`}
      >
        Delete
      </button>
    ) : null;

  return (
    <section aria-labelledby="views-heading" className="mb-6 rounded border border-base-light bg-white">
      <h2 id="views-heading" className="border-b border-base-light px-3 py-2 text-lg font-bold">
        Views
      </h2>
      <div className="space-y-3 p-3 text-sm">
        <div>
          <h3 className="font-semibold">From the overview</h3>
          <ul>{props.builtIn.map((v) => item(v))}</ul>
        </div>
        <div>
          <h3 className="font-semibold">Shared with the team</h3>
          {shared.length === 0 ? (
            <p className="text-muted">None yet.</p>
          ) : (
            <ul data-testid="shared-views">
              {shared.map((v) =>
                item(
                  { name: v.name, href: v.href },
                  <>
                    <span className="shrink-0 px-1 py-1 text-muted">{v.mine ? "mine" : v.ownerName}</span>
                    {remove(v)}
                  </>,
                  "saved-view",
                ),
              )}
            </ul>
          )}
        </div>
        <div>
          <h3 className="font-semibold">My views</h3>
          {mine.length === 0 ? (
            <p className="text-muted">None yet.</p>
          ) : (
            <ul data-testid="my-views">
              {mine.map((v) => item({ name: v.name, href: v.href }, remove(v), "saved-view"))}
            </ul>
          )}
        </div>
        {message && (
          <p role="status" className="text-sm">
            {message}
          </p>
        )}
        <button
          type="button"
          onClick={() => setSaving(true)}
          className="rounded border border-primary bg-white px-3 py-2 font-semibold text-primary-dark hover:bg-blue-50"
        >
          Save this view…
        </button>
      </div>
      {saving && (
        <SaveViewDialog
          query={searchParams.toString()}
          columns={parseViewColumns(searchParams.get(COLUMNS_KEY))}
          onClose={() => setSaving(false)}
          onSaved={(name, href) => {
            setSaving(false);
            setMessage(`Saved the view “${name}”.`);
            router.push(href, { scroll: false });
            router.refresh();
          }}
        />
      )}
    </section>
  );
}
