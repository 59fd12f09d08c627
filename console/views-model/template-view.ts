import { languageNames, type Language } from '../../shared/domain/language.js';
import { withStopFooter } from '../../shared/domain/replies.js';
import { byFolder, type MessageTemplate, type TemplateField, type TemplateVersion } from '../../shared/templates/template.js';
import { counterView } from './sms-counter.js';
import { localTime, plural } from './format.js';

/**
 * The broadcast message step's counter (counterView: crier's SMS rules, the STOP footer, the
 * characters forcing UCS-2), said as GOV.UK Notify says it while one edits a template.
 */
export function chargeCounter(text: string) {
  const counted = counterView(text);
  return {
    ...counted,
    summary: counted.empty ? '' : `Will be charged as ${plural(counted.segments, 'text message')} (${counted.characters} characters, with the STOP footer)`,
  };
}

const fieldNames: Record<TemplateField, string> = {
  name: 'name',
  folder: 'folder',
  body: 'message',
  'variants.cy': 'Welsh message',
  'variants.es': 'Spanish message',
  whatsappTemplate: 'WhatsApp template',
  archived: 'archived it',
};

/** "Made it" for a first version; otherwise what changed, in words. */
export function changedWords(version: Pick<TemplateVersion, 'version' | 'changed'>): string {
  if (version.version === 1) return 'Created it';
  if (version.changed.includes('archived')) return 'Archived it';
  const words = version.changed.map((field) => fieldNames[field]);
  const listed = words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words.at(-1)}` : (words[0] ?? 'nothing');
  return `Changed the ${listed}`;
}

export function templateListView(templates: readonly MessageTemplate[]) {
  return byFolder(templates).map((group) => ({
    folder: group.folder,
    templates: group.templates.map((template) => ({ href: `/console/templates/${template.id}`, name: template.name, excerpt: template.body.length > 90 ? `${template.body.slice(0, 89)}…` : template.body })),
  }));
}

/** The template as residents get it: by SMS (with its footer and cost in messages) and on WhatsApp, in each language written. */
export function templateMessagesView(template: Pick<MessageTemplate, 'body' | 'variants'>) {
  const texts: [Language, string | undefined][] = [
    ['en', template.body],
    ['cy', template.variants?.cy],
    ['es', template.variants?.es],
  ];
  return texts.flatMap(([language, text]) =>
    text === undefined ? [] : [{ language: languageNames.en[language], sms: withStopFooter(text, language), whatsapp: text, charge: chargeCounter(text).summary }],
  );
}

export function versionsView(versions: readonly TemplateVersion[], timeZone: string) {
  return versions.map((version) => ({ version: version.version, when: localTime(version.updatedAt, timeZone), by: version.updatedByName, what: changedWords(version) }));
}
