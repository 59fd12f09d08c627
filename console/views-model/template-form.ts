import { templateContentSchema, type MessageTemplate, type TemplateContent } from '../../shared/templates/template.js';
import type { FieldError } from './field-error.js';
import { fieldMessage, type FormBody } from './broadcast-draft.js';

/** A template as a person fills in its form: what they typed, as they typed it, so a page can show it back. */
export interface TemplateForm {
  name: string;
  folder: string;
  message: string;
  welsh: string;
  spanish: string;
  whatsappName: string;
  whatsappLanguage: string;
  /** One parameter a line: {{1}}, {{2}}… in order. */
  whatsappParameters: string;
  /** The version an edit started from (absent when creating). */
  version?: number;
}

export const emptyTemplateForm: TemplateForm = { name: '', folder: '', message: '', welsh: '', spanish: '', whatsappName: '', whatsappLanguage: '', whatsappParameters: '' };

export function templateFormOf(template: MessageTemplate): TemplateForm {
  return {
    name: template.name,
    folder: template.folder ?? '',
    message: template.body,
    welsh: template.variants?.cy ?? '',
    spanish: template.variants?.es ?? '',
    whatsappName: template.whatsappTemplate?.name ?? '',
    whatsappLanguage: template.whatsappTemplate?.language ?? '',
    whatsappParameters: (template.whatsappTemplate?.parameters ?? []).join('\n'),
    version: template.version,
  };
}

function one(form: FormBody, name: string): string {
  const value = form[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : '';
}

export function templateFormFrom(form: FormBody): TemplateForm {
  const version = Number(one(form, 'version'));
  return {
    name: one(form, 'name'),
    folder: one(form, 'folder'),
    message: one(form, 'message'),
    welsh: one(form, 'welsh'),
    spanish: one(form, 'spanish'),
    whatsappName: one(form, 'whatsappName'),
    whatsappLanguage: one(form, 'whatsappLanguage'),
    whatsappParameters: one(form, 'whatsappParameters'),
    ...(Number.isInteger(version) && version > 0 ? { version } : {}),
  };
}

/** Each field of the content as its label on the form and the id the error summary links to. */
const fields: { path: RegExp; label: string; href: string }[] = [
  { path: /^name$/, label: 'Name', href: '#name' },
  { path: /^folder$/, label: 'Folder', href: '#folder' },
  { path: /^body$/, label: 'Message', href: '#message' },
  { path: /^variants\.cy$/, label: 'Welsh message', href: '#welsh' },
  { path: /^variants\.es$/, label: 'Spanish message', href: '#spanish' },
  { path: /^whatsappTemplate\.name$/, label: 'WhatsApp template name', href: '#whatsappName' },
  { path: /^whatsappTemplate\.language$/, label: 'WhatsApp template language', href: '#whatsappLanguage' },
  { path: /^whatsappTemplate\.parameters/, label: 'WhatsApp template parameters', href: '#whatsappParameters' },
];

/** The content the form says, checked by the API's own schema: its errors named by field, for the error summary. */
export function contentFromForm(form: TemplateForm): { ok: true; content: TemplateContent } | { ok: false; errors: FieldError[] } {
  const variants = { ...(form.welsh.trim() ? { cy: form.welsh } : {}), ...(form.spanish.trim() ? { es: form.spanish } : {}) };
  const parameters = form.whatsappParameters.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
  const parsed = templateContentSchema.safeParse({
    name: form.name,
    folder: form.folder,
    body: form.message,
    ...(Object.keys(variants).length ? { variants } : {}),
    ...(form.whatsappName.trim() || form.whatsappLanguage.trim() || parameters.length
      ? { whatsappTemplate: { name: form.whatsappName, ...(form.whatsappLanguage.trim() ? { language: form.whatsappLanguage } : {}), parameters } }
      : {}),
  });
  if (parsed.success) return { ok: true, content: parsed.data };
  return {
    ok: false,
    errors: parsed.error.issues.map((issue) => {
      const path = issue.path.join('.');
      const field = fields.find((each) => each.path.test(path)) ?? fields[2]!;
      return { text: fieldMessage(field.label, issue.message), href: field.href };
    }),
  };
}
