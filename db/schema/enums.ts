import { pgEnum } from "drizzle-orm/pg-core";

export const formTypeEnum = pgEnum("form_type", ["21-526EZ", "21-686C", "21-674"]);
export const claimGroupStatusEnum = pgEnum("claim_group_status", ["pending", "processing", "success", "failure"]);

// Where a claim stands for the triage team; kept on the claim row so the list filters on an index.
export const triageStateEnum = pgEnum("triage_state", [
  "never_tried", // no backup yet
  "in_progress", // a backup is queued, running or waiting to retry
  "submitted", // uploaded to Benefits Intake, waiting for an end state
  "confirmed", // Benefits Intake reports vbms (or success)
  "failed", // needs a person: permanent failure, retries exhausted, error or expired
  "excluded", // parked by an admin, history kept
  "duplicate", // another claim of the same veteran stands for it
  "resolved_elsewhere", // the system of record shows it succeeded or was remediated there (lib/ingest/reconcile.ts)
]);

export const attemptStatusEnum = pgEnum("attempt_status", [
  "pending",
  "submitted",
  "success",
  "failure",
  "vbms",
  "error",
  "expired",
]);

export const attemptTriggerEnum = pgEnum("attempt_trigger", ["user", "batch", "retry", "import"]);
export const documentRoleEnum = pgEnum("document_role", ["main", "attachment"]);

export const batchSourceEnum = pgEnum("batch_source", ["selection", "filter", "import"]);
export const batchStateEnum = pgEnum("batch_state", ["draft", "queued", "running", "paused", "completed", "cancelled"]);
export const batchItemStateEnum = pgEnum("batch_item_state", [
  "pending", // not started yet
  "in_progress", // backup job enqueued or running
  "submitted",
  "confirmed",
  "failed",
  "skipped",
  "cancelled",
]);

export const notificationTemplateEnum = pgEnum("notification_template", ["backup_in_progress", "backup_failed"]);
export const notificationStatusEnum = pgEnum("notification_status", ["queued", "sent", "failed"]);

export const roleEnum = pgEnum("user_role", ["viewer", "triager", "admin"]);

export type FormType = (typeof formTypeEnum.enumValues)[number];
export type TriageState = (typeof triageStateEnum.enumValues)[number];
export type AttemptStatus = (typeof attemptStatusEnum.enumValues)[number];
export type BatchState = (typeof batchStateEnum.enumValues)[number];
export type BatchItemState = (typeof batchItemStateEnum.enumValues)[number];
export type Role = (typeof roleEnum.enumValues)[number];
