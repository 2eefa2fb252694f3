import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Claim Triage", template: "%s · Claim Triage" },
  description: "Find failed veterans' claims and re-submit them through the backup flow.",
  // public/icon.svg is the design; public/favicon.ico is drawn from it (`npm run favicon`).
  icons: {
    icon: [
      { url: "/favicon.ico", sizes: "16x16 32x32 48x48" },
      { url: "/icon.svg", type: "image/svg+xml" },
    ],
  },
};

// Every page renders per request: its scripts carry the nonce of that request's Content-Security-Policy
// (proxy.ts), which a page rendered at build time could not know. (The signed-in pages are dynamic
// anyway; this also covers the not-found page.)
export const dynamic = "force-dynamic";

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen">{children}</body>
    </html>
  );
}
