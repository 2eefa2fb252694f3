import { z } from "zod";
import { storableText } from "../storable-text";
import { isHideableColumn } from "./columns";

// What "Save this view" sends, checked on the server (lib/actions/views/save-view.ts). Kept apart from
// lib/views/saved-view.ts, which the rail runs in the browser: a zod object built there probes for
// eval, which the Content-Security-Policy reports.

export const savedViewInputSchema = z.object({
  name: storableText(
    z.string().trim().min(1, "Give the view a name").max(80, "Keep the name under 80 characters"),
    "The name",
  ),
  shared: z.boolean(),
  query: storableText(z.string().max(2000), "The view"),
  columns: z.array(z.string().refine(isHideableColumn, "not a column of the claims list")).max(20),
});
