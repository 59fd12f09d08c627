import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { NotFoundError, ValidationError } from '../../shared/domain/errors.js';
import { type Language, languageSchema } from '../../shared/domain/language.js';
import { replyIds, type ReplyId } from '../../shared/domain/replies.js';
import { authorize } from '../../shared/staff/access.js';
import { listReplyTexts, setReplyText } from '../../shared/inbox/inbox-and-reply-texts.js';
import type { ConsoleEnv } from '../console-env.js';
import type { ConsoleDependencies } from '../dependencies.js';
import type { OperationsDependencies } from '../operations-dependencies.js';
import { page } from '../page.js';
import type { FieldError } from '../views-model/field-error.js';
import { sentence } from '../sentence.js';
import { signedIn } from '../signed-in.js';
import { fieldErrorsOf } from '../views-model/form-errors.js';
import { replyLabels, replyPreview, replyRows } from '../views-model/reply-wording.js';

const replyIdSchema = z.enum(replyIds);
/** The wording as typed; the use case refuses placeholders it does not know. */
const wordingSchema = z.string().trim().min(1, 'Enter the wording, or reset it to the default').max(1600, 'The wording must be at most 1,600 characters');

/**
 * Reply wording: what crier texts residents back (HELP, the STOP confirmation, …) in each
 * language, an operator's own wording over the built-in one, with a preview as the resident
 * would read it (the SMS and its segments) before it is saved, and a reset to the default.
 */
export function replyWordingPages(deps: ConsoleDependencies, operations: OperationsDependencies) {
  const routes = new Hono<ConsoleEnv>();
  const example = { serviceName: deps.serviceName, contact: operations.contact };

  function replyOf(c: Context<ConsoleEnv>): { language: Language; id: ReplyId } {
    const language = languageSchema.safeParse(c.req.param('language'));
    const id = replyIdSchema.safeParse(c.req.param('replyId'));
    if (!language.success || !id.success) throw new NotFoundError(`no reply ${c.req.param('language')}/${c.req.param('replyId')}`);
    return { language: language.data, id: id.data };
  }

  routes.get('/console/operations/replies', async (c) => {
    const { principal } = signedIn(c);
    authorize(principal, 'replies:write');
    const replies = await listReplyTexts(deps.broadcasts, principal);
    const changed = c.req.query('saved') ?? c.req.query('reset');
    return page(c, 'operations/replies.njk', {
      pageTitle: 'Reply wording',
      backLink: '/console/operations',
      notice: changed && replies.some((reply) => `${reply.language}/${reply.id}` === changed)
        ? `${replyLabels[changed.split('/')[1] as ReplyId]} (${changed.split('/')[0]}) ${c.req.query('saved') ? 'was saved' : 'is back to the default'}.`
        : undefined,
      languages: replyRows(replies),
    });
  });

  async function editPage(c: Context<ConsoleEnv>, language: Language, id: ReplyId, text: string | undefined, errors: FieldError[] = []) {
    const replies = await listReplyTexts(deps.broadcasts, signedIn(c).principal);
    const reply = replies.find((one) => one.language === language && one.id === id)!;
    const wording = text ?? reply.override ?? reply.builtIn;
    return page(
      c,
      'operations/reply.njk',
      {
        pageTitle: `${replyLabels[id]} (${language})`,
        backLink: '/console/operations/replies',
        language,
        id,
        label: replyLabels[id],
        isOwn: reply.override !== undefined,
        wording,
        builtIn: reply.builtIn,
        preview: errors.length ? undefined : replyPreview(id, language, wording, example),
        errors,
        fieldErrors: fieldErrorsOf(errors),
      },
      errors.length ? 400 : 200,
    );
  }

  routes.get('/console/operations/replies/:language/:replyId', async (c) => {
    authorize(signedIn(c).principal, 'replies:write');
    const { language, id } = replyOf(c);
    return editPage(c, language, id, undefined);
  });

  routes.post('/console/operations/replies/:language/:replyId', async (c) => {
    const { principal } = signedIn(c);
    authorize(principal, 'replies:write');
    const { language, id } = replyOf(c);
    const body = await c.req.parseBody();
    const typed = typeof body.wording === 'string' ? body.wording : '';
    const parsed = wordingSchema.safeParse(typed);
    if (!parsed.success) return editPage(c, language, id, typed, [{ text: parsed.error.issues[0]!.message, href: '#wording' }]);
    // Preview: the same page, the resident's view of what was typed; nothing is saved.
    if (body.action !== 'save') return editPage(c, language, id, parsed.data);
    try {
      await setReplyText(deps.broadcasts, principal, language, id, parsed.data);
    } catch (error) {
      if (error instanceof ValidationError) return editPage(c, language, id, typed, [{ text: sentence(error.details.map((detail) => detail.message).join('; ') || error.message), href: '#wording' }]);
      throw error;
    }
    return c.redirect(`/console/operations/replies?saved=${language}/${id}`, 303);
  });

  routes.post('/console/operations/replies/:language/:replyId/reset', async (c) => {
    const { language, id } = replyOf(c);
    await setReplyText(deps.broadcasts, signedIn(c).principal, language, id, undefined);
    return c.redirect(`/console/operations/replies?reset=${language}/${id}`, 303);
  });
  return routes;
}
