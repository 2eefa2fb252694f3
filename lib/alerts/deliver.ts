import type { AlertEpisodeRow } from "@/db/queries/alerts";
import type { VaNotifyClient } from "../notify/va-notify-client";
import { ALERT_RULE_LABEL, type AlertRuleId } from "./labels";

// Where an alert goes: an e-mail to the staff addresses through VA Notify (the path the veterans'
// e-mails take, with a template of its own), and a webhook in Slack's incoming-webhook format.

export type AlertChannels = {
  appUrl: string; // links point into the app
  email: { client: VaNotifyClient; templateId: string; to: string[] } | null;
  webhook: { url: string; timeoutMs: number; fetch?: typeof fetch } | null;
};

const label = (rule: string) => ALERT_RULE_LABEL[rule as AlertRuleId] ?? rule;

export function alertLink(appUrl: string, episode: Pick<AlertEpisodeRow, "link">) {
  return `${appUrl.replace(/\/+$/, "")}${episode.link}`;
}

// Slack's incoming-webhook body: `text` is the fallback and the notification line; the section
// block carries the same words with the link in Slack's <url|text> form.
export function slackMessage(appUrl: string, episode: AlertEpisodeRow) {
  const link = alertLink(appUrl, episode);
  const text = `Claim Triage alert: ${label(episode.rule)}. ${episode.summary}`;
  return {
    text: `${text} ${link}`,
    blocks: [
      {
        type: "section",
        text: {
          type: "mrkdwn",
          text: `*Claim Triage alert: ${label(episode.rule)}*\n${episode.summary}\n<${link}|Open in Claim Triage>`,
        },
      },
    ],
  };
}

export async function sendWebhook(channel: NonNullable<AlertChannels["webhook"]>, body: unknown): Promise<void> {
  const response = await (channel.fetch ?? fetch)(channel.url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(channel.timeoutMs),
  });
  if (!response.ok) throw new Error(`the alert webhook answered ${response.status}`);
}

export async function sendAlertEmails(
  channel: NonNullable<AlertChannels["email"]>,
  appUrl: string,
  episode: AlertEpisodeRow,
): Promise<void> {
  for (const to of channel.to) {
    await channel.client.sendEmail({
      emailAddress: to,
      templateId: channel.templateId,
      personalisation: {
        alert: label(episode.rule),
        summary: episode.summary,
        link: alertLink(appUrl, episode),
        started_at: episode.startedAt.toISOString(),
      },
      reference: `alert-${episode.id}`,
    });
  }
}
