import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Claim Triage", template: "%s · Claim Triage" },
  description: "Find failed veterans' claims and re-submit them through the backup flow.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen">{children}</body>
    </html>
  );
}
