import type { Form674Data } from "@/db/form-data";
import { type RenderContext, veteranOf, writeClaimAndVeteran, writeRemarks } from "./form-common";
import { asObject, formatAddress, formatDate, formatName, str, yesNo } from "./format";
import type { FormWriter, KeepOut } from "./layout";

type Student = Form674Data["student"];

export const FORM_674_TITLE = "Request for Approval of School Attendance";

/**
 * A child 674 is stamped "Application Submitted on va.gov" with the timestamp under it at
 * (400, 675) on every page (docs/design.md §4), in the middle of the content area: the layout keeps that
 * band clear on the right so the stamp never overprints the form's text.
 */
export const FORM_674_KEEP_OUT: KeepOut[] = [{ x: 396, yBottom: 654, yTop: 690 }];

export function write674(w: FormWriter, raw: unknown, ctx: RenderContext): void {
  const data = asObject<Form674Data>(raw);
  w.title("21-674", FORM_674_TITLE, "Backup submission generated from the form data the veteran submitted on VA.gov.");
  writeClaimAndVeteran(w, veteranOf(data), ctx);

  const student = asObject<Student>(data.student);
  w.heading("Student");
  w.row("Name", formatName(student));
  w.row("Date of birth", formatDate(student.dateOfBirth));

  w.heading("School");
  w.row("Name of school", str(student.schoolName));
  w.row("Address of school", formatAddress(asObject(student.schoolAddress)));

  w.heading("Term and attendance");
  w.row("Term began", formatDate(student.termStart));
  w.row("Expected graduation", formatDate(student.expectedGraduation));
  w.row("Attending full time", yesNo(student.fullTime));

  writeRemarks(w, data.remarks);
}
