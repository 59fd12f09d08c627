import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import { generalDepartment, type Principal } from '../domain/model.js';
import type { Permission } from '../staff/access.js';
import { authorize } from '../staff/access.js';
import { recordAudit } from '../staff/audit.js';
import type { CoreDependencies } from '../ports/dependencies.js';
import type { WithSubscribers } from '../ports/stores.js';
import {
  archivedTemplate,
  editedTemplate,
  historyOf,
  newTemplate,
  staleEdit,
  type MessageTemplate,
  type TemplateContent,
  type TemplateVersion,
} from './template.js';

/** The department a person's templates are in: their own; an operator's is general's unless they name one. */
export function templateDepartmentOf(principal: Principal, asked?: string): string {
  return asked ?? (principal.role === 'operator' ? generalDepartment : principal.department);
}

/**
 * A template the person may `permission`. Another department's is answered as one that does not
 * exist (404), as a broadcast is, so a department cannot even learn which ids are another's.
 */
async function reachable(deps: WithSubscribers<CoreDependencies, unknown>, principal: Principal, id: string, permission: Permission): Promise<MessageTemplate> {
  // The role (and a test key's list) first: a refusal for what one may never do reads the same everywhere.
  authorize(principal, permission);
  const template = await deps.stores.templates.get(id);
  if (!template || (principal.role !== 'operator' && template.department !== principal.department)) throw new NotFoundError(`no template ${id}`);
  authorize(principal, permission, { department: template.department });
  return template;
}

function by(deps: CoreDependencies, principal: Principal) {
  return { at: deps.clock.now().toISOString(), by: principal.keyId, byName: principal.name };
}

export async function createTemplate(
  deps: CoreDependencies,
  principal: Principal,
  input: TemplateContent & { department?: string },
): Promise<MessageTemplate> {
  const { department: asked, ...content } = input;
  const department = templateDepartmentOf(principal, asked);
  authorize(principal, 'templates:write', { department });
  const template = newTemplate(content, { id: deps.ids.next(), department, ...by(deps, principal) });
  await deps.stores.templates.create(template);
  await recordAudit(deps, principal, 'template.create', { type: 'template', id: template.id }, { department: template.department, after: audited(template) });
  return template;
}

/**
 * An edit: a new version, written only if the template is still at the version the person
 * started from (`version`), so two people editing at once cannot lose an update: the second is
 * refused (ConflictError, 409) and reads the first's change before making theirs. An edit that
 * changes nothing makes no version. An archived template is not edited.
 */
export async function editTemplate(
  deps: CoreDependencies,
  principal: Principal,
  id: string,
  input: TemplateContent & { version: number },
): Promise<MessageTemplate> {
  const { version, ...content } = input;
  const current = await reachable(deps, principal, id, 'templates:write');
  if (current.archivedAt !== undefined) throw new ConflictError(`template ${id} is archived: it can no longer be changed`);
  if (current.version !== version) throw new ConflictError(staleEdit(id, version));
  const next = editedTemplate(current, content, by(deps, principal));
  if (next.changed.length === 0) return current;
  if (!(await deps.stores.templates.replace(next))) throw new ConflictError(staleEdit(id, version));
  await recordAudit(deps, principal, 'template.edit', { type: 'template', id }, { department: current.department, before: audited(current), after: audited(next) });
  return next;
}

/** Archived: kept with its versions (broadcasts name them), no longer offered. Archiving it again changes nothing. */
export async function archiveTemplate(deps: CoreDependencies, principal: Principal, id: string): Promise<MessageTemplate> {
  const current = await reachable(deps, principal, id, 'templates:write');
  if (current.archivedAt !== undefined) return current;
  const next = archivedTemplate(current, by(deps, principal));
  if (!(await deps.stores.templates.replace(next))) throw new ConflictError(staleEdit(id, current.version));
  await recordAudit(deps, principal, 'template.archive', { type: 'template', id }, { department: current.department, before: audited(current), after: audited(next) });
  return next;
}

export interface TemplateListQuery {
  department?: string;
  folder?: string;
  archived?: boolean;
}

/** A department's templates (the person's own unless an operator names another), by folder and name; archived ones only when asked. */
export async function listTemplates(deps: CoreDependencies, principal: Principal, query: TemplateListQuery = {}): Promise<MessageTemplate[]> {
  const department = templateDepartmentOf(principal, query.department);
  authorize(principal, 'templates:read', { department });
  const templates = await deps.stores.templates.listByDepartment(department);
  return templates
    .filter((template) => query.archived === true || template.archivedAt === undefined)
    .filter((template) => query.folder === undefined || (template.folder ?? '') === query.folder)
    .sort((a, b) => (a.folder ?? '').localeCompare(b.folder ?? '') || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

export async function getTemplate(deps: WithSubscribers<CoreDependencies, unknown>, principal: Principal, id: string): Promise<MessageTemplate> {
  return reachable(deps, principal, id, 'templates:read');
}

/** Who changed what: every version, newest first. */
export async function templateVersions(deps: CoreDependencies, principal: Principal, id: string): Promise<TemplateVersion[]> {
  const template = await reachable(deps, principal, id, 'templates:read');
  return historyOf(template, await deps.stores.templates.versions(id));
}

/** One version as it was: the one a new broadcast says it came from (refused naming `fromTemplate.version` when it never was). */
export async function templateVersion(deps: CoreDependencies, principal: Principal, id: string, version: number): Promise<TemplateVersion> {
  const template = await reachable(deps, principal, id, 'templates:read');
  const kept = historyOf(template, await deps.stores.templates.versions(id)).find((each) => each.version === version);
  if (!kept) throw new ValidationError(`template ${id} has no version ${version}`, [{ field: 'fromTemplate.version', message: `template ${id} has no version ${version}` }]);
  return kept;
}

/** What the audit log keeps of a template: its words are the department's, never a resident's, so all of it. */
function audited(template: MessageTemplate): Record<string, unknown> {
  return JSON.parse(JSON.stringify(template)) as Record<string, unknown>;
}
