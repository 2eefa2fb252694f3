export * from "./schema/audit";
export * from "./schema/backups";
export * from "./schema/batches";
export * from "./schema/claims";
export * from "./schema/enums";
export * from "./schema/metrics";
export * from "./schema/notifications";
export * from "./schema/users";
