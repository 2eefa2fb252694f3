import { SavedViewsPanel } from "@/components/views/saved-views-panel";
import { getVisibleViews } from "@/db/queries/saved-views";
import type { SessionUser } from "@/lib/auth/roles";
import { getDb } from "@/lib/db";
import { viewHref } from "@/lib/views/saved-view";
import { BUILT_IN_VIEWS } from "@/lib/views/team-views";

// The rail's views: the overview's figures, views shared with the team, and the person's own.
export async function SavedViewsSection({ user }: { user: SessionUser }) {
  const views = await getVisibleViews(getDb(), user.id);
  return (
    <SavedViewsPanel
      builtIn={BUILT_IN_VIEWS.map((v) => ({ name: v.name, href: v.href }))}
      views={views.map((v) => ({
        id: v.id,
        name: v.name,
        shared: v.shared,
        href: viewHref(v),
        mine: v.ownerUserId === user.id,
        ownerName: v.ownerName,
      }))}
    />
  );
}
