import "server-only";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { BatchControlError } from "@/lib/batches/controls";
import { storableText } from "@/lib/storable-text";
import { ActionError } from "../define-action";

// Shared by the batch control actions: the input they all take, and the translation of a refused
// transition into a message the person reads.

export const batchControlSchema = z.object({
  batchId: z.number().int().positive(),
  reason: storableText(z.string().trim().max(500, "Keep the reason under 500 characters."), "The reason").optional(),
});

export async function runControl<T>(batchId: number, fn: () => Promise<T>): Promise<T> {
  try {
    const result = await fn();
    revalidatePath("/batches");
    revalidatePath(`/batches/${batchId}`);
    return result;
  } catch (e) {
    if (e instanceof BatchControlError) throw new ActionError(e.message);
    throw e;
  }
}
