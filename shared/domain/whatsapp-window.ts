import type { SubscriberProfile } from './model.js';

/** WhatsApp allows free-form messages for 24 hours after the resident last wrote; after that, only templates. */
export const WHATSAPP_WINDOW_MS = 24 * 3600 * 1000;

export function isWhatsAppWindowOpen(profile: Pick<SubscriberProfile, 'whatsappWindowOpenedAt'>, at: Date): boolean {
  const opened = profile.whatsappWindowOpenedAt === undefined ? Number.NaN : Date.parse(profile.whatsappWindowOpenedAt);
  return at.getTime() - opened < WHATSAPP_WINDOW_MS;
}
