import type { CountryCode } from 'libphonenumber-js';
import { awsClients } from '../../shared/adapters/aws-clients.js';
import { providerSettingsSource } from '../../shared/adapters/providers/settings-source.js';
import { whatsappAppSecret, whatsappVerifyToken } from '../../shared/adapters/providers/whatsapp-cloud/settings.js';
import {
  answerVerificationRequest,
  parseWhatsAppWebhook,
  SIGNATURE_HEADER,
  verifyWhatsAppSignature,
  type WhatsAppWebhookBatch,
} from '../../shared/adapters/providers/whatsapp-cloud/webhooks.js';
import { whatsappWebhookEnvSchema } from '../../shared/config/env.js';
import { ForbiddenError } from '../../shared/domain/errors.js';
import { httpFunction } from '../../shared/runtime/http/http-function.js';
import { json } from '../../shared/runtime/http/responses.js';
import { logger } from '../../shared/runtime/logger.js';
import type { InboundDependencies } from '../../shared/usecases/dependencies.js';
import { handleInboundText } from '../../shared/usecases/handle-inbound.js';
import { recordReceipt } from '../../shared/usecases/record-receipt.js';
import { inboundDependencies } from '../wiring.js';

const PATH = '/webhooks/whatsapp';

/**
 * Meta's webhook payloads can be up to 3 MB. A smaller limit would refuse genuine batches, and
 * Meta retries a refused POST for days.
 */
const MAX_BODY_BYTES = 3 * 1024 * 1024;

export const handler = httpFunction({
  envSchema: whatsappWebhookEnvSchema,
  maxBodyBytes: MAX_BODY_BYTES,
  dependencies: (env) => ({
    inbound: inboundDependencies(env),
    settings: providerSettingsSource(env, () => awsClients().secrets),
  }),
  routes: {
    // The handshake Meta performs when the callback URL is saved in the app dashboard.
    [`GET ${PATH}`]: async ({ deps, request }) => {
      const challenge = answerVerificationRequest(request.query, await whatsappVerifyToken(deps.settings));
      return { statusCode: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: challenge };
    },
    [`POST ${PATH}`]: async ({ env, deps, request }) => {
      // The signature covers the body exactly as sent, so it is checked before anything is parsed.
      const signature = request.headers[SIGNATURE_HEADER];
      if (!signature) throw new ForbiddenError('the X-Hub-Signature-256 header is missing');
      const appSecret = await whatsappAppSecret(deps.settings);
      if (!verifyWhatsAppSignature({ appSecret, signature, rawBody: request.rawBody })) {
        throw new ForbiddenError('the X-Hub-Signature-256 does not match this request body');
      }
      const batch = parseWhatsAppWebhook(request.rawBody, env.DEFAULT_COUNTRY as CountryCode);
      logUnhandled(batch);
      await act(deps.inbound, batch);
      // Replies go out through the send queue, never inline: Meta only needs its 200.
      return json(200, { messages: batch.inbound.length, statuses: batch.receipts.length, skipped: batch.skipped.length });
    },
  },
});

/**
 * One at a time, in payload order, stopping at the first failure: a resident's STOP and a later
 * JOIN must be acted on in the order sent. The failure becomes a 500, Meta sends the batch again,
 * and what was already done is recognised by its wamid (texts) or status precedence (receipts).
 */
async function act(deps: InboundDependencies, batch: WhatsAppWebhookBatch): Promise<void> {
  for (const inbound of batch.inbound) await handleInboundText(deps, inbound);
  for (const report of batch.receipts) await recordReceipt(deps, report);
}

function logUnhandled(batch: WhatsAppWebhookBatch): void {
  for (const item of batch.skipped) logger.info('WhatsApp webhook item skipped', { ...item });
  for (const error of batch.accountErrors) logger.warn('WhatsApp Cloud API reported an error', { ...error });
}
