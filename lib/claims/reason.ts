import { z } from "zod";

// Every bulk or single action carries a reason (a ticket number, a note), stored in the audit log.
// A NUL byte is refused here: PostgreSQL cannot store one, and the audit insert failed with a 500.
export const actionReasonSchema = z
  .string()
  .trim()
  .min(3, "Give a reason of at least 3 characters (a ticket number will do)")
  .max(500, "Keep the reason under 500 characters")
  .refine((s) => !s.includes("\u0000"), "The reason cannot contain a NUL character");
