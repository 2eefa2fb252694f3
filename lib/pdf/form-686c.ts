import type { Form686cData } from "@/db/form-data";
import { type RenderContext, veteranOf, writeClaimAndVeteran, writeRemarks } from "./form-common";
import { asObject, asObjectArray, formatDate, formatName, str } from "./format";
import type { FormWriter } from "./layout";

type Spouse = NonNullable<Form686cData["spouse"]>;
type Child = Form686cData["children"][number];

const ACTIONS: Record<string, string> = {
  add: "Add dependents",
  remove: "Remove dependents",
};

const RELATIONSHIPS: Record<string, string> = {
  biological: "Biological child",
  adopted: "Adopted child",
  stepchild: "Stepchild",
};

export const FORM_686C_TITLE = "Application Request to Add and/or Remove Dependents";

export function write686c(w: FormWriter, raw: unknown, ctx: RenderContext): void {
  const data = asObject<Form686cData>(raw);
  w.title(
    "21-686c",
    FORM_686C_TITLE,
    "Backup submission generated from the form data the veteran submitted on VA.gov.",
  );
  writeClaimAndVeteran(w, veteranOf(data), ctx);

  w.heading("Action requested");
  w.row("The veteran asks to", ACTIONS[str(data.action)] ?? str(data.action));

  w.heading("Spouse");
  const spouse = data.spouse ? asObject<Spouse>(data.spouse) : undefined;
  if (!spouse) {
    w.row("Spouse", "No spouse listed");
  } else {
    w.row("Name", formatName(spouse));
    w.row("Date of birth", formatDate(spouse.dateOfBirth));
    w.row("Date of marriage", formatDate(spouse.marriageDate));
    w.row("Place of marriage", str(spouse.marriagePlace));
  }

  const children = asObjectArray<Child>(data.children);
  w.heading(`Children (${children.length})`);
  if (children.length === 0) w.row("Children", "No children listed");
  children.forEach((child, i) => {
    w.subheading(`Child ${i + 1} of ${children.length}`, 3);
    w.row("Name", formatName(child));
    w.row("Date of birth", formatDate(child.dateOfBirth));
    w.row("Relationship", RELATIONSHIPS[str(child.relationship)] ?? str(child.relationship));
  });

  writeRemarks(w, data.remarks);
}
