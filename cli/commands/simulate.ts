import type { Command } from 'commander';
import { z } from 'zod';
import { parseArguments } from '../arguments.js';
import { baseUrlSchema } from '../config-schemas.js';
import { contextOf } from '../context.js';
import { oneLine } from '../output.js';
import { outboxIds, waitForReplies } from '../reply-watch.js';
import { INBOUND_PATH, inboundParams, LOCAL_ACCOUNT_SID, LOCAL_DEV_AUTH_TOKEN, postSignedWebhook, WHATSAPP_PREFIX } from '../twilio-webhook.js';

/** Long enough for the reply to go through the urgent queue locally; short enough to feel instant. */
const REPLY_WAIT_MS = 5_000;
const DEFAULT_GATEWAY_NUMBER = '+447700900000';

const simulateTextInput = z.object({
  // Twilio always sends the sender in E.164, so a simulated one is too.
  from: z.string().trim().regex(/^\+[1-9]\d{6,14}$/, 'must be a number in E.164 form, as Twilio sends it, e.g. +447700900123'),
  body: z.string().trim().min(1, 'must not be empty'),
  whatsapp: z.boolean().default(false),
  token: z.string().min(1, 'must not be empty').optional(),
  publicUrl: baseUrlSchema.optional(),
  to: z.string().trim().min(1, 'must not be empty').optional(),
});

export function registerSimulate(program: Command): void {
  const simulate = program.command('simulate').description('pretend to be a resident or a provider (for trying crier out)');

  simulate
    .command('text')
    .description("text the gateway from a pretend phone, through Twilio's signed webhook, and show the reply")
    .argument('<from>', "the pretend phone's number, e.g. +447700900123")
    .argument('<body>', 'what the resident texts, e.g. "JOIN TRAFFIC"')
    .option('--whatsapp', 'send it as a WhatsApp message instead of an SMS')
    .option('--token <token>', `Twilio auth token to sign with (default: TWILIO_AUTH_TOKEN, or ${LOCAL_DEV_AUTH_TOKEN})`)
    .option('--public-url <url>', "crier's PUBLIC_BASE_URL the signature covers (default: PUBLIC_BASE_URL, or the base URL)")
    .option('--to <number>', `the gateway's number being texted (default: TWILIO_SMS_FROM / TWILIO_WHATSAPP_FROM, or ${DEFAULT_GATEWAY_NUMBER})`)
    .action(async (from: string, body: string, options: Record<string, unknown>, command: Command) => {
      const context = contextOf(command);
      const input = parseArguments(simulateTextInput, { from, body, ...options });
      const { env, url } = context.config;
      const gatewayNumber = input.to ?? (input.whatsapp ? env.TWILIO_WHATSAPP_FROM : env.TWILIO_SMS_FROM) ?? DEFAULT_GATEWAY_NUMBER;
      const params = inboundParams({
        from: input.from,
        to: gatewayNumber.replace(WHATSAPP_PREFIX, ''),
        body: input.body,
        whatsapp: input.whatsapp,
        accountSid: env.TWILIO_ACCOUNT_SID ?? LOCAL_ACCOUNT_SID,
      });
      const sandbox = context.sandbox();
      const known = await outboxIds(sandbox, input.from);

      await postSignedWebhook(context.http(), INBOUND_PATH, params, {
        authToken: input.token ?? env.TWILIO_AUTH_TOKEN ?? LOCAL_DEV_AUTH_TOKEN,
        publicUrl: input.publicUrl ?? env.PUBLIC_BASE_URL ?? url,
      });
      const replies = known ? await waitForReplies(sandbox, input.from, known, REPLY_WAIT_MS) : [];

      if (context.output.json) return context.output.raw({ sent: params, replies });
      const channel = input.whatsapp ? 'WhatsApp' : 'SMS';
      context.output.line(`${input.from} texted "${oneLine(input.body)}" by ${channel} (${params.MessageSid})`);
      if (!known) context.output.line('crier took it; it has no sandbox outbox, so any reply went out through the real provider');
      else if (replies.length === 0) context.output.line(`no reply in the sandbox outbox within ${REPLY_WAIT_MS / 1000} s`);
      for (const reply of replies) context.output.line(`reply: ${reply.body}`);
    });
}
