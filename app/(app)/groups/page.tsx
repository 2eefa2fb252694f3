import { GroupsTable } from "@/components/failure-groups/groups-table";
import { getFailureGroups } from "@/db/queries/failure-groups";
import { requirePageUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";

export const metadata = { title: "Failure groups" };

export default async function FailureGroupsPage() {
  await requirePageUser("viewer");
  const rows = await getFailureGroups(getDb());
  return (
    <>
      <h1 className="mb-1 text-3xl font-bold">Failure groups</h1>
      <p className="mb-4 text-muted">
        Claims that failed the same way, grouped by their failure reason with ids and times stripped. Each group has an
        owner and a status; a resolved group that fails again reopens.
      </p>
      <GroupsTable rows={rows} />
    </>
  );
}
