import { z } from 'zod';
import { messageContentSchema, whatsappTemplateSchema, type WhatsappTemplate } from '../domain/message-content.js';
import { languages, type Language } from '../domain/language.js';
import { templatePlaceholders } from './placeholders.js';

/**
 * A saved message template: what a department sends again and again (GOV.UK Notify's templates),
 * with its Welsh and Spanish variants and the WhatsApp template to fall back on outside a
 * resident's 24-hour window. Every change is a new version; the record is the latest, and each
 * version is kept, so "who changed what" is the list of versions.
 */
export interface MessageTemplate {
  id: string;
  department: string;
  name: string;
  /** Notify's folders: one level, by name; absent for the top level. */
  folder?: string;
  body: string;
  variants?: Partial<Record<Language, string>>;
  whatsappTemplate?: WhatsappTemplate;
  /** 1 when created; each edit (and the archiving) adds one. */
  version: number;
  createdAt: string;
  /** The key id of the person (or key) who made it. */
  createdBy: string;
  /** When, by whom and what the latest version changed. */
  updatedAt: string;
  updatedBy: string;
  updatedByName: string;
  changed: TemplateField[];
  archivedAt?: string;
}

/** What a version can change; `archived` is the version that archived it. */
export const templateFields = ['name', 'folder', 'body', 'variants.cy', 'variants.es', 'whatsappTemplate', 'archived'] as const;
export type TemplateField = (typeof templateFields)[number];

/** One version as kept: the template as it was after the change, and who made it, when. */
export type TemplateVersion = Omit<MessageTemplate, 'createdAt' | 'createdBy'>;

export const templateIdSchema = z.string().regex(/^[0-9A-Za-z][0-9A-Za-z_-]{0,63}$/, 'must be a template id');

/** A template's text: a broadcast body's rules (length, `{{area}}` placeholders), and well-formed `((name))` placeholders. */
const templateText = messageContentSchema.shape.body.superRefine((text, ctx) => {
  const parsed = templatePlaceholders(text);
  if (!parsed.ok) for (const message of parsed.errors) ctx.addIssue({ code: 'custom', message });
});

const folderSchema = z
  .string()
  .trim()
  .max(40, 'must be at most 40 characters')
  .transform((folder) => (folder === '' ? undefined : folder))
  .optional();

/** What a person writes: the content crier checks before anything is stored. */
export const templateContentSchema = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters').meta({ description: 'What staff call it, such as "Road closed"' }),
  folder: folderSchema.meta({ description: 'A folder to group it under, such as "Roads"; empty or absent for none' }),
  body: templateText.meta({ description: 'The message in English; ((name)) placeholders are filled once per broadcast, {{area}} per resident' }),
  variants: z.partialRecord(z.enum(languages).exclude(['en']), templateText).optional().meta({ description: 'Welsh (cy) and Spanish (es) versions' }),
  whatsappTemplate: whatsappTemplateSchema
    .superRefine((template, ctx) =>
      template.parameters.forEach((parameter, index) => {
        const parsed = templatePlaceholders(parameter);
        if (!parsed.ok) for (const message of parsed.errors) ctx.addIssue({ code: 'custom', path: ['parameters', index], message });
      }),
    )
    .optional()
    .meta({ description: 'The approved WhatsApp template to send instead outside the 24-hour window' }),
});
export type TemplateContent = z.output<typeof templateContentSchema>;

/** A new template's first version: pure, so the rule is the same in every adapter and test. */
export function newTemplate(
  content: TemplateContent,
  context: { id: string; department: string; at: string; by: string; byName: string },
): MessageTemplate {
  return {
    id: context.id,
    department: context.department,
    ...contentOnly(content),
    version: 1,
    createdAt: context.at,
    createdBy: context.by,
    updatedAt: context.at,
    updatedBy: context.by,
    updatedByName: context.byName,
    changed: [...fieldsSet(content)],
  };
}

/** The template after an edit: the next version, naming only the fields whose value changed. */
export function editedTemplate(current: MessageTemplate, content: TemplateContent, context: { at: string; by: string; byName: string }): MessageTemplate {
  const next: MessageTemplate = {
    id: current.id,
    department: current.department,
    ...contentOnly(content),
    version: current.version + 1,
    createdAt: current.createdAt,
    createdBy: current.createdBy,
    updatedAt: context.at,
    updatedBy: context.by,
    updatedByName: context.byName,
    changed: changedFields(current, content),
  };
  return next;
}

/** The template archived: one more version, changing nothing else. */
export function archivedTemplate(current: MessageTemplate, context: { at: string; by: string; byName: string }): MessageTemplate {
  return { ...current, version: current.version + 1, updatedAt: context.at, updatedBy: context.by, updatedByName: context.byName, changed: ['archived'], archivedAt: context.at };
}

/** Which fields differ between a template and new content, in the order of {@link templateFields}. */
export function changedFields(before: Omit<TemplateContent, 'name'> & { name: string }, after: TemplateContent): TemplateField[] {
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  const changes: TemplateField[] = [];
  if (before.name !== after.name) changes.push('name');
  if ((before.folder ?? '') !== (after.folder ?? '')) changes.push('folder');
  if (before.body !== after.body) changes.push('body');
  if ((before.variants?.cy ?? '') !== (after.variants?.cy ?? '')) changes.push('variants.cy');
  if ((before.variants?.es ?? '') !== (after.variants?.es ?? '')) changes.push('variants.es');
  if (!same(before.whatsappTemplate, after.whatsappTemplate)) changes.push('whatsappTemplate');
  return changes;
}

/** The version a template record is. */
export function versionOf(template: MessageTemplate): TemplateVersion {
  const { createdAt: _createdAt, createdBy: _createdBy, ...version } = template;
  return version;
}

/**
 * The versions newest first, with the record's own latest version when the store's list lacks it
 * (a write that stopped between the record and its version item: the record is the truth).
 */
export function historyOf(template: MessageTemplate, stored: readonly TemplateVersion[]): TemplateVersion[] {
  const versions = stored.some((version) => version.version === template.version) ? [...stored] : [versionOf(template), ...stored];
  return versions.sort((a, b) => b.version - a.version);
}

/** The text for a reader of `language`: their variant when written, else the body. */
export function textIn(template: Pick<MessageTemplate, 'body' | 'variants'>, language: Language | undefined): string {
  return (language && language !== 'en' ? template.variants?.[language] : undefined) ?? template.body;
}

/** Folders in alphabetical order, the top level (no folder) first, each with its templates by name. */
export function byFolder<T extends Pick<MessageTemplate, 'name' | 'folder'>>(templates: readonly T[]): { folder: string | undefined; templates: T[] }[] {
  // Sorted as '' (the top level first): Array.sort never hands undefined to a comparator.
  const folders = [...new Set(templates.map((template) => template.folder ?? ''))].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' }));
  return folders.map((name) => name || undefined).map((folder) => ({
    folder,
    templates: templates.filter((template) => template.folder === folder).sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' })),
  }));
}

/** The refusal of an edit made on a version that is no longer the latest: what the API answers with 409. */
export const staleEdit = (id: string, version: number) =>
  `template ${id} was changed by someone else since version ${version}: read it again, and make your change on the latest version`;

function contentOnly(content: TemplateContent) {
  return {
    name: content.name,
    ...(content.folder === undefined ? {} : { folder: content.folder }),
    body: content.body,
    ...(content.variants && Object.keys(content.variants).length ? { variants: content.variants } : {}),
    ...(content.whatsappTemplate === undefined ? {} : { whatsappTemplate: content.whatsappTemplate }),
  };
}

function fieldsSet(content: TemplateContent): TemplateField[] {
  return changedFields({ name: '', body: '' }, content);
}

/** Every text of a template that may hold `((name))` placeholders: the body, the variants, the WhatsApp template's parameters. */
export function templateTexts(template: Pick<MessageTemplate, 'body' | 'variants' | 'whatsappTemplate'>): string[] {
  return [template.body, ...Object.values(template.variants ?? {}), ...(template.whatsappTemplate?.parameters ?? [])];
}
