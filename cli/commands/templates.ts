import type { Command } from 'commander';
import { z } from 'zod';
import type { SavedTemplate, SavedTemplateVersion } from '../admin-api.js';
import { parseArguments } from '../arguments.js';
import { contextOf } from '../context.js';
import { shortTime, truncate, type Output } from '../output.js';

const text = z.string().min(1, 'must not be empty');
/** What the options can say about content; the API judges the content itself (placeholders, lengths, names). */
const contentInput = z.object({
  name: text.optional(),
  folder: z.string().optional(),
  body: text.optional(),
  welsh: z.string().optional(),
  spanish: z.string().optional(),
  whatsappTemplate: z.string().optional(),
  whatsappLanguage: z.string().optional(),
  whatsappParameter: z.array(z.string()).optional(),
});
const createInput = contentInput.extend({ name: text, body: text, department: text.optional() });
const idInput = z.object({ id: z.string().trim().min(1, 'must not be empty') });
const listInput = z.object({ department: text.optional(), folder: z.string().optional(), archived: z.boolean().default(false) });

type ContentOptions = z.infer<typeof contentInput>;

/** The content an edit sends: the template as read, with what the options change. An empty --welsh or --whatsapp-template removes it. */
export function templateContentFrom(current: Partial<SavedTemplate>, options: ContentOptions) {
  const cy = options.welsh ?? current.variants?.cy ?? '';
  const es = options.spanish ?? current.variants?.es ?? '';
  const whatsappName = options.whatsappTemplate ?? current.whatsappTemplate?.name ?? '';
  const variants = { ...(cy ? { cy } : {}), ...(es ? { es } : {}) };
  return {
    name: options.name ?? current.name ?? '',
    ...((options.folder ?? current.folder) ? { folder: options.folder ?? current.folder } : {}),
    body: options.body ?? current.body ?? '',
    ...(Object.keys(variants).length ? { variants } : {}),
    ...(whatsappName
      ? {
          whatsappTemplate: {
            name: whatsappName,
            ...((options.whatsappLanguage ?? current.whatsappTemplate?.language) ? { language: options.whatsappLanguage ?? current.whatsappTemplate?.language } : {}),
            parameters: options.whatsappParameter ?? current.whatsappTemplate?.parameters ?? [],
          },
        }
      : {}),
  };
}

function addContentOptions(command: Command): Command {
  return command
    .option('--folder <folder>', 'a folder to group it under, such as Roads ("" for none)')
    .option('--welsh <text>', 'the Welsh version ("" for none)')
    .option('--spanish <text>', 'the Spanish version ("" for none)')
    .option('--whatsapp-template <name>', 'the approved WhatsApp template to send outside the 24-hour window ("" for none)')
    .option('--whatsapp-language <code>', "the WhatsApp template's language, such as en_GB (default: the resident's)")
    .option('--whatsapp-parameter <value...>', "the WhatsApp template's {{1}}, {{2}}… in order");
}

export function registerTemplates(program: Command): void {
  const templates = program
    .command('templates')
    .description("saved message templates: your department's wording, with ((placeholders)) filled once per broadcast");

  templates
    .command('list')
    .description("list your department's templates by folder and name")
    .option('--folder <folder>', 'only this folder ("" for those in none)')
    .option('--department <department>', "operators: another department's")
    .option('--archived', 'archived ones too')
    .action(async (options: Record<string, unknown>, command: Command) => {
      const context = contextOf(command);
      const input = parseArguments(listInput, options);
      const { data, raw } = await context.admin().listTemplates(input);
      if (context.output.json) return context.output.raw(raw);
      context.output.table<SavedTemplate>(
        data.templates,
        [
          { heading: 'ID', value: (template) => template.id },
          { heading: 'FOLDER', value: (template) => template.folder ?? '-' },
          { heading: 'NAME', value: (template) => `${template.name}${template.archivedAt ? ' (archived)' : ''}` },
          { heading: 'VERSION', value: (template) => String(template.version) },
          { heading: 'BODY', value: (template) => truncate(template.body, 60) },
        ],
        'no templates yet; save one with: crier templates create --name "Road closed" --body "The ((road)) is closed."',
      );
    });

  templates
    .command('show')
    .description('show a template: its texts, WhatsApp template and placeholders')
    .argument('<id>', 'template id (from crier templates list)')
    .action(async (id: string, _options: unknown, command: Command) => {
      const context = contextOf(command);
      const { data, raw } = await context.admin().getTemplate(parseArguments(idInput, { id }).id);
      if (context.output.json) return context.output.raw(raw);
      showTemplate(context.output, data);
    });

  addContentOptions(
    templates
      .command('create')
      .description('save a template')
      .requiredOption('--name <name>', 'what staff call it, such as "Road closed"')
      .requiredOption('--body <text>', 'the message in English; ((name)) placeholders are filled when a broadcast starts from it')
      .option('--department <department>', 'operators: the department it belongs to (default general)'),
  ).action(async (options: Record<string, unknown>, command: Command) => {
    const context = contextOf(command);
    const input = parseArguments(createInput, options);
    const { data, raw } = await context.admin().createTemplate({ ...templateContentFrom({}, input), ...(input.department ? { department: input.department } : {}) });
    if (context.output.json) return context.output.raw(raw);
    context.output.line(`saved template ${data.id} (version 1)`);
    showTemplate(context.output, data);
  });

  addContentOptions(
    templates
      .command('edit')
      .description('change a template: a new version; refused if someone changed it since it was read')
      .argument('<id>', 'template id')
      .option('--name <name>', 'a new name')
      .option('--body <text>', 'a new English text'),
  ).action(async (id: string, options: Record<string, unknown>, command: Command) => {
    const context = contextOf(command);
    const input = parseArguments(contentInput.extend(idInput.shape), { ...options, id });
    const admin = context.admin();
    const { data: current } = await admin.getTemplate(input.id);
    const { data, raw } = await admin.editTemplate(input.id, { ...templateContentFrom(current, input), version: current.version });
    if (context.output.json) return context.output.raw(raw);
    context.output.line(data.version === current.version ? `nothing changed in template ${data.id}` : `saved template ${data.id} as version ${data.version}`);
    showTemplate(context.output, data);
  });

  templates
    .command('archive')
    .description('archive a template: no longer offered; kept with its versions')
    .argument('<id>', 'template id')
    .action(async (id: string, _options: unknown, command: Command) => {
      const context = contextOf(command);
      const { data, raw } = await context.admin().archiveTemplate(parseArguments(idInput, { id }).id);
      if (context.output.json) return context.output.raw(raw);
      context.output.line(`archived template ${data.id} (${data.name})`);
    });

  templates
    .command('versions')
    .description('who changed what: every version, newest first')
    .argument('<id>', 'template id')
    .action(async (id: string, _options: unknown, command: Command) => {
      const context = contextOf(command);
      const { data, raw } = await context.admin().templateVersions(parseArguments(idInput, { id }).id);
      if (context.output.json) return context.output.raw(raw);
      context.output.table<SavedTemplateVersion>(
        data.versions,
        [
          { heading: 'VERSION', value: (version) => String(version.version) },
          { heading: 'WHEN', value: (version) => shortTime(version.updatedAt) },
          { heading: 'BY', value: (version) => version.updatedByName },
          { heading: 'CHANGED', value: (version) => version.changed.join(', ') },
        ],
        'no versions',
      );
    });
}

function showTemplate(output: Output, template: SavedTemplate): void {
  output.fields([
    ['name', template.name],
    ['folder', template.folder ?? '-'],
    ['department', template.department],
    ['version', `${template.version}, by ${template.updatedByName} at ${shortTime(template.updatedAt)}${template.archivedAt ? ' (archived)' : ''}`],
    ['body', template.body],
    ...(template.variants?.cy ? [['welsh', template.variants.cy] as [string, string]] : []),
    ...(template.variants?.es ? [['spanish', template.variants.es] as [string, string]] : []),
    [
      'whatsapp template',
      template.whatsappTemplate
        ? `${template.whatsappTemplate.name}${template.whatsappTemplate.language ? ` (${template.whatsappTemplate.language})` : ''} ${template.whatsappTemplate.parameters.join(' | ')}`.trim()
        : 'none',
    ],
    ['placeholders', template.placeholders.map((name) => `((${name}))`).join(' ') || 'none'],
  ]);
}
