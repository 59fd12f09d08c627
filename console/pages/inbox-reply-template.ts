import { Hono, type Context } from 'hono';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../shared/domain/errors.js';
import { inboxEntryIdPattern } from '../../shared/inbox/entry-id.js';
import type { Language } from '../../shared/domain/language.js';
import type { ReplyRefusal } from '../../shared/inbox/reply-rules.js';
import { replyToResident } from '../../shared/inbox/reply-to-resident.js';
import type { InboxEntry } from '../../shared/inbox/inbox-store.js';
import { listTemplates } from '../../shared/templates/manage-templates.js';
import { textIn } from '../../shared/templates/template.js';
import type { ConsoleEnv } from '../console-env.js';
import type { ConsoleDependencies } from '../dependencies.js';
import { messagePage } from '../page.js';
import { sentence } from '../sentence.js';
import { signedIn } from '../signed-in.js';
import { may } from '../views-model/permissions.js';

/**
 * "Use a template" on a conversation (views/inbox/_reply-template.njk). Within the rules for free
 * text it fills the Reply textarea on the server (a GET form: it changes nothing), with the
 * template's text in the resident's language, for the person to read and send. On WhatsApp
 * outside the 24-hour window, where free text is refused, it offers only the department's
 * templates with a WhatsApp template to fall back on, and sends the chosen one as that template.
 */
export async function replyTemplatePicker(
  deps: ConsoleDependencies,
  c: Context<ConsoleEnv>,
  entry: InboxEntry,
  resident: { language: Language | undefined; refusal: ReplyRefusal | undefined },
) {
  const { principal } = signedIn(c);
  const sendsWhatsappTemplate = resident.refusal === 'whatsappWindowClosed';
  const offered = (resident.refusal === undefined || sendsWhatsappTemplate) && may(principal, 'inbox:reply', { department: entry.department }) && may(principal, 'templates:read', { department: entry.department });
  if (!offered) return { templates: [], sendsWhatsappTemplate, text: '' };
  const templates = (await listTemplates(deps.broadcasts, principal, { department: entry.department })).filter((template) => !sendsWhatsappTemplate || template.whatsappTemplate);
  const chosen = sendsWhatsappTemplate ? undefined : templates.find((template) => template.id === c.req.query('template'));
  return {
    templates: templates.map((template) => ({ value: template.id, text: template.folder ? `${template.folder}: ${template.name}` : template.name, selected: template.id === chosen?.id })),
    sendsWhatsappTemplate,
    text: chosen ? textIn(chosen, resident.language) : '',
  };
}

export function inboxReplyTemplate(deps: ConsoleDependencies) {
  const routes = new Hono<ConsoleEnv>();
  const replyDeps = { ...deps.broadcasts, replies: deps.replies };

  routes.post('/console/inbox/:id/reply-template', async (c) => {
    const id = c.req.param('id');
    if (!inboxEntryIdPattern.test(id)) throw new NotFoundError(`no inbox message ${id}`);
    const form = await c.req.parseBody();
    const templateId = typeof form.templateId === 'string' ? form.templateId : '';
    const back = { href: `/console/inbox/${id}`, text: 'Go back to the conversation' };
    try {
      await replyToResident(replyDeps, signedIn(c).principal, id, { templateId });
    } catch (error) {
      if (error instanceof ForbiddenError) {
        // Another department's conversation is answered as one that does not exist, as the conversation page does.
        const entry = await deps.broadcasts.stores.inbox.get(id);
        if (!entry || !may(signedIn(c).principal, 'inbox:read', { department: entry.department })) throw new NotFoundError(`no inbox message ${id}`);
      }
      if (error instanceof ConflictError) return messagePage(c, 409, 'The reply was not sent', [sentence(error.message)], back);
      if (error instanceof ValidationError) return messagePage(c, 400, 'The reply was not sent', error.details.map((detail) => sentence(detail.message)), back);
      throw error;
    }
    return c.redirect(`/console/inbox/${id}?sent=1`, 303);
  });
  return routes;
}
