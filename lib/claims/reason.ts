import { z } from "zod";
import { storableText } from "../storable-text";

// Every bulk or single action carries a reason (a ticket number, a note), stored in the audit log.
export const actionReasonSchema = storableText(
  z
    .string()
    .trim()
    .min(3, "Give a reason of at least 3 characters (a ticket number will do)")
    .max(500, "Keep the reason under 500 characters"),
  "The reason",
);
