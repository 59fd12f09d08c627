import { Hono } from 'hono';
import { NotFoundError } from '../../shared/domain/errors.js';
import { getTemplate } from '../../shared/templates/manage-templates.js';
import { templateIdSchema } from '../../shared/templates/template.js';
import { authorize } from '../../shared/staff/access.js';
import type { ConsoleEnv } from '../console-env.js';
import type { ConsoleDependencies } from '../dependencies.js';
import { signedIn } from '../signed-in.js';
import { broadcastDraftSchema, sessionDraftWith } from '../views-model/broadcast-draft.js';

/**
 * "New broadcast from this template": a fresh New broadcast draft whose message step is the
 * template's (body, Welsh and Spanish, WhatsApp template), naming the template and version it
 * came from; the journey then runs as any other, from its first step. The placeholders are asked
 * for on the message step, which cannot be left until each has a value.
 */
export function broadcastFromTemplate(deps: ConsoleDependencies) {
  const routes = new Hono<ConsoleEnv>();
  routes.post('/console/templates/:id/broadcast', async (c) => {
    const person = signedIn(c);
    authorize(person.principal, 'broadcasts:create');
    const id = c.req.param('id');
    if (!templateIdSchema.safeParse(id).success) throw new NotFoundError(`no template ${id}`);
    const template = await getTemplate(deps.broadcasts, person.principal, id);
    if (template.archivedAt !== undefined) throw new NotFoundError(`template ${id} is archived`);
    const draft = broadcastDraftSchema.parse({
      body: template.body,
      welsh: template.variants?.cy ?? '',
      spanish: template.variants?.es ?? '',
      template: template.whatsappTemplate?.name ?? '',
      templateLanguage: template.whatsappTemplate?.language ?? '',
      templateParameters: template.whatsappTemplate?.parameters ?? [],
      fromTemplate: { id: template.id, version: template.version, name: template.name },
    });
    await deps.sessions.saveDraft(person.session.idHash, sessionDraftWith(person.session.draft, draft));
    return c.redirect('/console/broadcasts/new', 303);
  });
  return routes;
}
