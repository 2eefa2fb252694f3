"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import type { Role } from "@/db/schema/enums";
import { changeUserRoleAction } from "@/lib/actions/users/change-user-role";

const ROLES: Role[] = ["viewer", "triager", "admin"];

// Another person's role: choose and save. The answer (changed, or why not) is announced in place.
export function RoleForm({ userId, userName, role }: { userId: number; userName: string; role: Role }) {
  const router = useRouter();
  const selectId = useId();
  const [chosen, setChosen] = useState<Role>(role);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const [isPending, startTransition] = useTransition();

  const save = () =>
    startTransition(async () => {
      setMessage(null);
      const result = await changeUserRoleAction({ userId, role: chosen });
      if ("error" in result) {
        setMessage({ error: true, text: result.error });
        return;
      }
      setMessage({ error: false, text: result.data.changed ? `Now ${chosen}.` : "No change." });
      router.refresh();
    });

  return (
    <form
      className="flex flex-wrap items-center gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <label htmlFor={selectId} className="sr-only">
        Role of {userName}
      </label>
      <select
        id={selectId}
        value={chosen}
        onChange={(e) => setChosen(e.target.value as Role)}
        className="rounded border border-gray-500 bg-white px-2 py-1"
      >
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      <button
        type="submit"
        disabled={isPending}
        className="rounded border-2 border-primary px-3 py-1 font-semibold text-primary-dark hover:bg-blue-50 disabled:opacity-60"
      >
        {isPending ? "Saving…" : "Save"}
        <span className="sr-only"> role of {userName}</span>
      </button>
      <span role="status" className={message?.error ? "w-full text-error" : "w-full text-muted"}>
        {message?.text}
      </span>
    </form>
  );
}
