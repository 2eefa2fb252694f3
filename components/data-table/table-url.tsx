"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { createContext, useCallback, useContext, useMemo, useTransition } from "react";

// One navigation channel for a server-side table and its filters: every change is a URL push
// (shareable, back-button friendly), and all of them share one pending state so the table can
// show that new rows are on their way.

type TableUrl = {
  searchParams: URLSearchParams;
  navigate: (next: URLSearchParams) => void;
  isPending: boolean;
};

const TableUrlContext = createContext<TableUrl | null>(null);

export function TableUrlProvider({ children }: { children: React.ReactNode }) {
  const router = useRouter();
  const pathname = usePathname();
  const current = useSearchParams();
  const [isPending, startTransition] = useTransition();
  const searchParams = useMemo(() => new URLSearchParams(current.toString()), [current]);
  const navigate = useCallback(
    (next: URLSearchParams) => {
      const qs = next.toString();
      startTransition(() => router.push(qs ? `${pathname}?${qs}` : pathname, { scroll: false }));
    },
    [pathname, router],
  );
  const value = useMemo(() => ({ searchParams, navigate, isPending }), [searchParams, navigate, isPending]);
  return <TableUrlContext.Provider value={value}>{children}</TableUrlContext.Provider>;
}

export function useTableUrl(): TableUrl {
  const value = useContext(TableUrlContext);
  if (!value) throw new Error("useTableUrl needs a <TableUrlProvider> above it");
  return value;
}
