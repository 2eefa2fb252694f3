import { healthResponse } from "@/lib/health";

export const dynamic = "force-dynamic";

// GET /api/health, for a load balancer's liveness probe: the process is up. No session, and it
// touches nothing (a database outage must not get every web process restarted).
export function GET() {
  return healthResponse();
}
