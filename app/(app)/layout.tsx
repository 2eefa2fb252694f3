import { AppHeader } from "@/components/layout/app-header";
import { requirePageUser } from "@/lib/auth/session";

// Every page in this group needs a session; each page still checks its own role.
export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const user = await requirePageUser("viewer");
  return (
    <>
      <a href="#main" className="skip-link">
        Skip to main content
      </a>
      <AppHeader user={user} />
      <main id="main" className="mx-auto max-w-screen-2xl px-4 py-6 sm:px-6">
        {children}
      </main>
    </>
  );
}
