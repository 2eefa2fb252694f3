"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { ConfirmDialog } from "@/components/batches/confirm-dialog";
import { disableUserAction } from "@/lib/actions/users/disable-user";
import { enableUserAction } from "@/lib/actions/users/enable-user";

// Disable (after a confirmation: it signs the person out) or re-enable another person's account.
export function AccountStatusButton({
  userId,
  userName,
  disabled,
}: {
  userId: number;
  userName: string;
  disabled: boolean;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [isPending, startTransition] = useTransition();

  const run = () =>
    startTransition(async () => {
      setError(null);
      const result = disabled ? await enableUserAction({ userId }) : await disableUserAction({ userId });
      if ("error" in result) {
        setError(result.error);
        return;
      }
      setOpen(false);
      router.refresh();
    });

  const label = disabled ? "Enable" : "Disable";
  return (
    <>
      <button
        type="button"
        onClick={() => {
          setError(null);
          setOpen(true);
        }}
        className={
          disabled
            ? "rounded border-2 border-primary px-3 py-1 font-semibold text-primary-dark hover:bg-blue-50"
            : "rounded border-2 border-error px-3 py-1 font-semibold text-error hover:bg-red-50"
        }
      >
        {label}
        <span className="sr-only"> {userName}</span>
      </button>
      <ConfirmDialog
        open={open}
        title={disabled ? `Enable ${userName}?` : `Disable ${userName}?`}
        confirmLabel={disabled ? "Enable account" : "Disable account"}
        destructive={!disabled}
        pending={isPending}
        error={error}
        askReason={false}
        onConfirm={run}
        onClose={() => setOpen(false)}
      >
        <p>
          {disabled
            ? `${userName} will be able to sign in again, with the role shown.`
            : `${userName} is signed out at their next click and cannot sign in again until an admin enables the account. Their history stays.`}
        </p>
      </ConfirmDialog>
    </>
  );
}
