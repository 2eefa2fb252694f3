// The alert rules by name, in the team's words: the banner (a client component) and the messages
// read them; the rules themselves are lib/alerts/rules.ts.

export type AlertRuleId = "silent_failures" | "batch_stalled" | "group_grew" | "intake_5xx";

export const ALERT_RULE_LABEL: Record<AlertRuleId, string> = {
  silent_failures: "Silent failures above 0",
  batch_stalled: "A batch has made no progress",
  group_grew: "A failure group grew fast",
  intake_5xx: "Benefits Intake answering 5xx",
};
