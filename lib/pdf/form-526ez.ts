import type { Form526Data } from "@/db/form-data";
import { type RenderContext, veteranOf, writeClaimAndVeteran, writeRemarks } from "./form-common";
import { asObject, asObjectArray, formatDate, formatDateRange, str, yesNo } from "./format";
import type { FormWriter } from "./layout";

type ServicePeriod = Form526Data["serviceHistory"][number];
type Disability = Form526Data["disabilities"][number];
type Facility = Form526Data["treatmentFacilities"][number];

const CAUSES: Record<string, string> = {
  NEW: "New condition",
  WORSENED: "Worsened because of service",
  SECONDARY: "Secondary to a service-connected condition",
};

export const FORM_526EZ_TITLE = "Application for Disability Compensation and Related Compensation Benefits";

export function write526ez(w: FormWriter, raw: unknown, ctx: RenderContext): void {
  const data = asObject<Form526Data>(raw);
  w.title(
    "21-526EZ",
    FORM_526EZ_TITLE,
    "Backup submission generated from the form data the veteran submitted on VA.gov.",
  );
  writeClaimAndVeteran(w, veteranOf(data), ctx);

  w.heading("Homelessness");
  w.row("Currently homeless or at risk", yesNo(data.homeless));

  const service = asObjectArray<ServicePeriod>(data.serviceHistory);
  w.heading("Service history");
  if (service.length === 0) w.row("Periods of service", "");
  service.forEach((period, i) => {
    w.subheading(`Period ${i + 1} of ${service.length}`);
    w.row("Branch of service", str(period.branch));
    w.row("Dates of service", formatDateRange(period.from, period.to));
    w.row("Character of discharge", str(period.dischargeType));
  });

  const disabilities = asObjectArray<Disability>(data.disabilities);
  w.heading(`Disabilities claimed (${disabilities.length})`);
  if (disabilities.length === 0) w.row("Conditions", "");
  disabilities.forEach((d, i) => {
    w.subheading(`${i + 1}. ${str(d.condition) || "Condition not named"}`, 3);
    w.row("Cause", CAUSES[str(d.cause)] ?? str(d.cause));
    w.row("Began or worsened", formatDate(d.startDate));
    w.row("How it relates to service", str(d.description));
  });

  const facilities = asObjectArray<Facility>(data.treatmentFacilities);
  w.heading("Treatment facilities");
  if (facilities.length === 0) w.row("VA or private treatment", "None listed");
  facilities.forEach((f, i) => {
    w.subheading(`Facility ${i + 1} of ${facilities.length}`, 2);
    w.row("Name", str(f.name));
    w.row("Treated since", formatDate(f.from));
  });

  writeRemarks(w, data.remarks);
}
