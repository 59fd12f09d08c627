import type { z } from 'zod';
import { createTopicRequest, updateTopicRequest } from '../../shared/api/topic-schemas.js';
import type { Topic } from '../../shared/domain/model.js';
import type { CreateTopicInput, UpdateTopicInput } from '../../shared/topics/manage-topics.js';
import type { FieldError } from './field-error.js';
import { fieldMessage, type FormBody } from './broadcast-draft.js';

/** A topic as its form holds it: every field as typed, keywords as one text. */
export interface TopicForm {
  id: string;
  name: string;
  keywords: string;
  welshName: string;
  welshKeywords: string;
  spanishName: string;
  spanishKeywords: string;
  department: string;
  requiresApproval: boolean;
  confirmedOptIn: boolean;
}

export const emptyTopicForm: TopicForm = {
  id: '',
  name: '',
  keywords: '',
  welshName: '',
  welshKeywords: '',
  spanishName: '',
  spanishKeywords: '',
  department: '',
  requiresApproval: false,
  confirmedOptIn: false,
};

function one(form: FormBody, name: string): string {
  const value = form[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : '';
}

/** What the person typed, as it is shown again when the page comes back with errors. */
export function topicFormFrom(form: FormBody): TopicForm {
  return {
    id: one(form, 'id').trim(),
    name: one(form, 'name'),
    keywords: one(form, 'keywords'),
    welshName: one(form, 'welshName'),
    welshKeywords: one(form, 'welshKeywords'),
    spanishName: one(form, 'spanishName'),
    spanishKeywords: one(form, 'spanishKeywords'),
    department: one(form, 'department').trim(),
    requiresApproval: one(form, 'requiresApproval') === 'yes',
    confirmedOptIn: one(form, 'confirmedOptIn') === 'yes',
  };
}

/** A stored topic in its form, for editing. */
export function topicFormOf(topic: Topic): TopicForm {
  return {
    id: topic.id,
    name: topic.name,
    keywords: topic.keywords.join('\n'),
    welshName: topic.aliases.cy?.name ?? '',
    welshKeywords: (topic.aliases.cy?.keywords ?? []).join('\n'),
    spanishName: topic.aliases.es?.name ?? '',
    spanishKeywords: (topic.aliases.es?.keywords ?? []).join('\n'),
    department: topic.department,
    requiresApproval: topic.requiresApproval,
    confirmedOptIn: topic.confirmedOptIn,
  };
}

/**
 * Keywords as people list them: one a line, or separated by commas or semicolons. Not by spaces:
 * "ROAD WORKS" is one (refused) keyword, so the person is told a keyword is one word rather than
 * finding two keywords they did not mean.
 */
export function keywordList(text: string): string[] {
  return text
    .split(/[,;\n\r]+/)
    .map((keyword) => keyword.trim())
    .filter(Boolean);
}

function aliasesOf(form: TopicForm) {
  const alias = (name: string, keywords: string) => {
    const list = keywordList(keywords);
    if (!name.trim() && list.length === 0) return undefined;
    return { ...(name.trim() ? { name } : {}), keywords: list };
  };
  const cy = alias(form.welshName, form.welshKeywords);
  const es = alias(form.spanishName, form.spanishKeywords);
  return { ...(cy ? { cy } : {}), ...(es ? { es } : {}) };
}

/** A field of the form: its id (the error summary's link), its label, and one of its keywords named alone. */
interface FormField {
  href: string;
  label: string;
  item?: string;
  values?: (form: TopicForm) => string[];
}

/** In the form's order, which the error summary follows. */
const formFields: Record<string, FormField> = {
  id: { href: '#id', label: 'Topic ID' },
  name: { href: '#name', label: 'Name' },
  keywords: { href: '#keywords', label: 'Keywords', item: 'Keyword', values: (form) => keywordList(form.keywords) },
  'aliases.cy.name': { href: '#welsh-name', label: 'Welsh name' },
  'aliases.cy.keywords': { href: '#welsh-keywords', label: 'Welsh keywords', item: 'Welsh keyword', values: (form) => keywordList(form.welshKeywords) },
  'aliases.es.name': { href: '#spanish-name', label: 'Spanish name' },
  'aliases.es.keywords': { href: '#spanish-keywords', label: 'Spanish keywords', item: 'Spanish keyword', values: (form) => keywordList(form.spanishKeywords) },
  department: { href: '#department', label: 'Department' },
  // The two checkboxes send a yes or nothing, which the schema always accepts: they have no entry.
};

/**
 * The API schema's issues as the error summary lists them, each linked to its field. An issue
 * about one keyword names that keyword as typed ("Keyword "JOIN" is a reserved command word."),
 * as the schema's path only gives its place in the list.
 */
export function topicFieldErrors(form: TopicForm, issues: readonly z.core.$ZodIssue[]): FieldError[] {
  const order = Object.values(formFields).map((field) => field.href);
  const errors = issues.map((issue) => {
    const index = typeof issue.path.at(-1) === 'number' ? (issue.path.at(-1) as number) : undefined;
    const key = (index === undefined ? issue.path : issue.path.slice(0, -1)).join('.');
    const field = formFields[key] ?? formFields.name!;
    const keyword = index !== undefined ? field.values?.(form)[index] : undefined;
    const label = keyword !== undefined && field.item ? `${field.item} "${keyword}"` : field.label;
    // "repeats the keyword X" reads on from the keyword it is about, as "must …" and "is …" do.
    const text = issue.message.startsWith('repeats ') ? `${label} ${issue.message}.` : fieldMessage(label, issue.message);
    return { text, href: field.href };
  });
  // The design system's pattern: the summary in the form's order, one message a field (its first).
  return errors
    .filter((error, index) => errors.findIndex((other) => other.href === error.href) === index)
    .sort((a, b) => order.indexOf(a.href) - order.indexOf(b.href));
}

/** Where a conflict the store names belongs on the form: a keyword's own field, or the topic ID. */
export function conflictField(form: TopicForm, message: string): string {
  const keyword = /^keyword (\S+) /.exec(message)?.[1];
  if (keyword === undefined) return '#id';
  const holds = (text: string) => keywordList(text).some((typed) => typed.toUpperCase() === keyword);
  if (holds(form.welshKeywords)) return '#welsh-keywords';
  if (holds(form.spanishKeywords)) return '#spanish-keywords';
  return '#keywords';
}

export type Parsed<T> = { ok: true; request: T } | { ok: false; errors: FieldError[] };

/**
 * The create form as the API's request, checked by the API's own schema. The department is
 * sent only when an operator names one: anyone else's topics are their own department's.
 */
export function createRequestOf(form: TopicForm, isOperator: boolean): Parsed<CreateTopicInput> {
  const parsed = createTopicRequest.safeParse({
    id: form.id,
    name: form.name,
    keywords: keywordList(form.keywords),
    ...(isOperator && form.department ? { department: form.department } : {}),
    requiresApproval: form.requiresApproval,
    confirmedOptIn: form.confirmedOptIn,
    aliases: aliasesOf(form),
  });
  return parsed.success ? { ok: true, request: parsed.data } : { ok: false, errors: topicFieldErrors(form, parsed.error.issues) };
}

/**
 * The edit form as the API's change: every field the form shows is sent (keywords and aliases
 * replace the old ones whole), the department only by an operator who changed it.
 */
export function updateRequestOf(form: TopicForm, current: Topic, isOperator: boolean): Parsed<UpdateTopicInput> {
  const parsed = updateTopicRequest.safeParse({
    name: form.name,
    keywords: keywordList(form.keywords),
    aliases: aliasesOf(form),
    requiresApproval: form.requiresApproval,
    confirmedOptIn: form.confirmedOptIn,
    ...(isOperator && form.department !== current.department ? { department: form.department } : {}),
  });
  return parsed.success ? { ok: true, request: parsed.data } : { ok: false, errors: topicFieldErrors(form, parsed.error.issues) };
}
