"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { createContext, useCallback, useContext, useMemo, useRef, useTransition } from "react";

// One navigation channel for a server-side table and its filters: every change is a URL push
// (shareable, back-button friendly), and all of them share one pending state so the table can
// show that new rows are on their way.

type TableUrl = {
  searchParams: URLSearchParams;
  navigate: (next: URLSearchParams) => void;
  isPending: boolean;
  // A control that is replaced by the navigation it starts (the filter form is remounted with the
  // URL's values) asks for focus to land on the results instead of dropping to the page body; the
  // results take the request when they mount.
  focusResultsAfterNavigation: () => void;
  takeFocusRequest: () => boolean;
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
  const focusRequest = useRef(false);
  const focusResultsAfterNavigation = useCallback(() => {
    focusRequest.current = true;
  }, []);
  const takeFocusRequest = useCallback(() => {
    const requested = focusRequest.current;
    focusRequest.current = false;
    return requested;
  }, []);
  const value = useMemo(
    () => ({ searchParams, navigate, isPending, focusResultsAfterNavigation, takeFocusRequest }),
    [searchParams, navigate, isPending, focusResultsAfterNavigation, takeFocusRequest],
  );
  return <TableUrlContext.Provider value={value}>{children}</TableUrlContext.Provider>;
}

export function useTableUrl(): TableUrl {
  const value = useContext(TableUrlContext);
  if (!value) throw new Error("useTableUrl needs a <TableUrlProvider> above it");
  return value;
}
