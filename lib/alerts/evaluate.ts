import type { Db } from "@/db/client";
import {
  clearEpisodesExcept,
  giveBackNotificationSlot,
  openOrTouchEpisode,
  takeNotificationSlot,
} from "@/db/queries/alerts";
import { log } from "../log";
import { type AlertChannels, sendAlertEmails, sendWebhook, slackMessage } from "./deliver";
import { type AlertThresholds, evaluateAlertRules } from "./rules";

// One evaluation: what fires opens (or keeps) its episode, what stopped firing clears, and each
// episode's e-mail and webhook go out once — the slot is taken before sending, so two workers never
// both send; a failed send gives it back for the next evaluation.

export async function evaluateAlerts(db: Db, thresholds: AlertThresholds, channels: AlertChannels) {
  const firing = await evaluateAlertRules(db, thresholds);
  const episodes = [];
  for (const f of firing) episodes.push(await openOrTouchEpisode(db, f));
  const cleared = await clearEpisodesExcept(
    db,
    episodes.map((e) => e.id),
  );
  for (const episode of episodes) {
    if (channels.webhook && !episode.webhookSentAt && (await takeNotificationSlot(db, episode.id, "webhook"))) {
      try {
        await sendWebhook(channels.webhook, slackMessage(channels.appUrl, episode));
      } catch (e) {
        await giveBackNotificationSlot(db, episode.id, "webhook");
        log.warn({ episodeId: episode.id, err: e }, "alert webhook not delivered");
      }
    }
    if (channels.email && !episode.emailSentAt && (await takeNotificationSlot(db, episode.id, "email"))) {
      try {
        await sendAlertEmails(channels.email, channels.appUrl, episode);
      } catch (e) {
        await giveBackNotificationSlot(db, episode.id, "email");
        log.warn({ episodeId: episode.id, err: e }, "alert e-mail not delivered");
      }
    }
  }
  return { firing: episodes.length, cleared };
}
