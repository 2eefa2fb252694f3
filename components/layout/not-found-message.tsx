import Link from "next/link";

// The one not-found page body: what was not found, and ways back.
export function NotFoundMessage({
  title,
  children,
  links,
}: {
  title: string;
  children: React.ReactNode;
  links: { href: string; text: string }[];
}) {
  return (
    <div className="max-w-xl rounded border border-base-light bg-white p-6">
      <h1 className="mb-2 text-2xl font-bold">{title}</h1>
      <p className="mb-4">{children}</p>
      <ul className="flex flex-wrap gap-x-6 gap-y-2">
        {links.map((l) => (
          <li key={l.href}>
            <Link href={l.href} className="font-semibold text-primary-dark underline">
              {l.text}
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
