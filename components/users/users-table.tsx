import { formatDateTime } from "@/components/batches/labels";
import { ScrollRegion } from "@/components/ui/scroll-region";
import type { UserRow } from "@/db/queries/users";
import { DEV_ISSUER, LEGACY_ISSUER } from "@/db/schema/users";
import { AccountStatusButton } from "./account-status-button";
import { RoleForm } from "./role-form";

// The Users page's table: one row a person, with the controls an admin has over everyone but
// themselves. The server checks the same rules again (lib/auth/user-admin.ts).

function issuerLabel(issuer: string) {
  if (issuer === DEV_ISSUER) return "Development sign-in";
  if (issuer === LEGACY_ISSUER) return "Not yet signed in since identities were keyed (e-mail only)";
  return issuer;
}

const CELL = "px-3 py-2";

export function UsersTable({ users, currentUserId }: { users: UserRow[]; currentUserId: number }) {
  if (users.length === 0) return <p className="rounded border border-base-light bg-white p-6">No users yet.</p>;
  return (
    <ScrollRegion label="Users" className="overflow-x-auto rounded border border-base-light bg-white">
      <table className="w-full border-collapse text-left text-sm">
        <caption className="sr-only">Users, active first, by name</caption>
        <thead className="bg-gray-50">
          <tr>
            {["Name", "E-mail", "Signs in through", "Role", "Status", "Last sign-in"].map((h) => (
              <th key={h} scope="col" className={CELL}>
                {h}
              </th>
            ))}
            <th scope="col" className={CELL}>
              <span className="sr-only">Account</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => {
            const isMe = u.id === currentUserId;
            return (
              <tr key={u.id} className="border-t border-base-light align-top" data-testid={`user-${u.id}`}>
                <th scope="row" className={`${CELL} font-semibold`}>
                  {u.name}
                  {isMe && <span className="block text-xs font-normal text-muted">This is you</span>}
                </th>
                <td className={`${CELL} break-all`}>{u.email}</td>
                <td className={`${CELL} break-all`}>{issuerLabel(u.issuer)}</td>
                <td className={CELL}>
                  {isMe ? (
                    <span className="font-semibold">{u.role}</span>
                  ) : (
                    <RoleForm userId={u.id} userName={u.name} role={u.role} />
                  )}
                  <span className="block text-xs text-muted">
                    {u.roleSetByAdmin ? "set by an admin" : u.issuer === DEV_ISSUER ? "seeded" : "from groups"}
                  </span>
                </td>
                <td className={CELL}>
                  {u.disabledAt ? (
                    <>
                      <span className="font-semibold text-error">Disabled</span>
                      <span className="block text-xs text-muted">since {formatDateTime(u.disabledAt)}</span>
                    </>
                  ) : (
                    <span className="font-semibold text-success-dark">Active</span>
                  )}
                </td>
                <td className={`${CELL} whitespace-nowrap`}>
                  {u.lastSignInAt ? formatDateTime(u.lastSignInAt) : "Never"}
                </td>
                <td className={CELL}>
                  {!isMe && <AccountStatusButton userId={u.id} userName={u.name} disabled={u.disabledAt !== null} />}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
