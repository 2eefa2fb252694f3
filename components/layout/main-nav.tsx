"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/", label: "Overview" },
  { href: "/claims", label: "Claims" },
  { href: "/groups", label: "Failure groups" },
  { href: "/batches", label: "Batches" },
  { href: "/audit", label: "Audit log", adminOnly: true },
  { href: "/users", label: "Users", adminOnly: true },
  { href: "/sources", label: "Sources", adminOnly: true },
];

export function MainNav({ isAdmin }: { isAdmin: boolean }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main">
      <ul className="flex gap-1">
        {LINKS.filter((l) => !l.adminOnly || isAdmin).map((l) => {
          const current = l.href === "/" ? pathname === "/" : pathname.startsWith(l.href);
          return (
            <li key={l.href}>
              <Link
                href={l.href}
                aria-current={current ? "page" : undefined}
                className={`block rounded px-3 py-2 font-semibold ${
                  current ? "bg-white text-primary-dark" : "text-white hover:bg-primary-dark"
                }`}
              >
                {l.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
