import { UsersTable } from "@/components/users/users-table";
import { listUsers } from "@/db/queries/users";
import { requirePageUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";

export const metadata = { title: "Users" };

export default async function UsersPage() {
  const me = await requirePageUser("admin");
  const users = await listUsers(getDb());
  return (
    <>
      <h1 className="mb-1 text-3xl font-bold">Users</h1>
      <p className="mb-4 max-w-3xl text-muted">
        Everyone who has signed in. A role comes from the person’s identity-provider groups at each sign-in until an
        admin chooses one here. A disabled account is signed out at its next click and cannot sign in again; its history
        stays. Every change is in the audit log.
      </p>
      <UsersTable users={users} currentUserId={me.id} />
    </>
  );
}
