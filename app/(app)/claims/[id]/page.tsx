import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { AttemptTimeline } from "@/components/claims/attempt-timeline";
import { ClaimActions } from "@/components/claims/claim-actions";
import { Card, ClaimSummary } from "@/components/claims/claim-summary";
import { SourceRecordCard } from "@/components/claims/source-record-card";
import { BlackHoleBadge, TriageBadge } from "@/components/claims/triage-badge";
import { getMainClaimId } from "@/db/queries/claim-detail";
import { auditClaimView } from "@/lib/audit/claim-view";
import { hasRole } from "@/lib/auth/roles";
import { requirePageUser } from "@/lib/auth/session";
import { loadClaimDetail } from "@/lib/claims/claim-detail";
import { getDb } from "@/lib/db";
import { parseUrlId } from "@/lib/url-id";

// Asked by the title and the page alike, once per request.
const claimExists = cache(async (claimId: number) => (await getMainClaimId(getDb(), claimId)) !== null);

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  const claimId = parseUrlId((await params).id);
  return { title: claimId && (await claimExists(claimId)) ? `Claim ${claimId}` : "Claim not found" };
}

// No loading.tsx above this page: the answer must be a real 404 when the claim does not exist, and
// a streamed shell would already have sent 200.

export default async function ClaimPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePageUser("viewer");
  const claimId = parseUrlId((await params).id);
  if (!claimId) notFound();
  const detail = await loadClaimDetail(getDb(), user, claimId);
  if (!detail) notFound();
  // Before anything is sent: a look at unmasked PII that cannot be recorded is not shown.
  await auditClaimView(getDb(), user, { id: detail.claim.id, mainClaimId: detail.mainClaimId });

  const { claim, mainClaimId, documents, submission } = detail;
  const canDownload = hasRole(user, "triager");
  return (
    <div className="space-y-6">
      <div>
        <Link href="/claims" className="text-sm font-semibold text-primary-dark underline">
          ← All claims
        </Link>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <h1 className="text-3xl font-bold">Claim {claim.id}</h1>
          <span className="text-lg">{claim.formType}</span>
          <TriageBadge state={claim.triageState} />
          {claim.blackHole && <BlackHoleBadge />}
        </div>
      </div>
      <ClaimActions
        claimId={claim.id}
        mainClaimId={mainClaimId}
        triageState={claim.triageState}
        inFlight={Boolean(submission?.inFlightSince)}
        canResubmit={hasRole(user, "triager")}
        canExclude={hasRole(user, "admin")}
        zipHref={canDownload && documents.length > 0 ? `/api/documents/zip?claimId=${mainClaimId}` : null}
      />
      <ClaimSummary detail={detail} />
      <SourceRecordCard detail={detail} canSettle={hasRole(user, "admin")} />
      <Card title="Backup attempts" id="attempts-heading">
        {mainClaimId !== claim.id && (
          <p className="mb-3 text-sm text-muted">
            These are the backups of claim {mainClaimId}, which carries this claim.
          </p>
        )}
        <AttemptTimeline detail={detail} canDownload={canDownload} />
      </Card>
    </div>
  );
}
