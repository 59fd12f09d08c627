import type { StatusWebhookEnv } from '../../shared/config/env.js';
import { twilioAuthToken, type ProviderSettingsSource } from '../../shared/adapters/providers/settings-source.js';
import { verifyTwilioSignature } from '../../shared/adapters/providers/twilio/webhooks.js';
import { ForbiddenError } from '../../shared/domain/errors.js';
import { parseFormBody, type HttpRequest } from '../../shared/runtime/http/request.js';

/**
 * The form parameters of a Twilio webhook, once its signature is proven. The signature covers the
 * URL Twilio was told to call (PUBLIC_BASE_URL + path + query) and every parameter, so a forged
 * or altered request is refused before anything is parsed or stored.
 */
export async function verifiedTwilioParams(
  env: StatusWebhookEnv,
  settings: ProviderSettingsSource,
  request: HttpRequest,
  path: string,
): Promise<Record<string, string>> {
  const params = parseFormBody(request);
  const url = `${env.PUBLIC_BASE_URL.replace(/\/$/, '')}${path}${request.rawQueryString ? `?${request.rawQueryString}` : ''}`;
  const signature = request.headers['x-twilio-signature'];
  if (!signature) throw new ForbiddenError('the X-Twilio-Signature header is missing');
  if (!verifyTwilioSignature({ authToken: await twilioAuthToken(settings), signature, url, params })) {
    throw new ForbiddenError('the X-Twilio-Signature does not match this request');
  }
  const expectedAccount = (await settings()).TWILIO_ACCOUNT_SID;
  if (expectedAccount && params.AccountSid !== undefined && params.AccountSid !== expectedAccount) {
    throw new ForbiddenError('the webhook is for another Twilio account');
  }
  return params;
}
