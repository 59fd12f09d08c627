import type { Command } from 'commander';
import { z } from 'zod';
import type { Topic } from '../admin-api.js';
import { parseArguments } from '../arguments.js';
import { contextOf } from '../context.js';
import { shortTime, type Output } from '../output.js';

const createTopicInput = z.object({
  id: z.string().trim().min(1, 'must not be empty'),
  name: z.string().trim().min(1, 'must not be empty'),
  keyword: z.array(z.string().trim().min(1, 'must not be empty')).min(1, 'name at least one keyword'),
  department: z.string().trim().min(1, 'must not be empty').optional(),
  requiresApproval: z.boolean().default(false),
});

const topicListInput = z.object({
  archived: z.boolean().default(false),
  limit: z.coerce.number().int().min(1, 'must be at least 1').max(200, 'must be at most 200').optional(),
  cursor: z.string().min(1).optional(),
});

const topicIdInput = z.object({ id: z.string().trim().min(1, 'must not be empty') });

const updateTopicInput = z
  .object({
    id: z.string().trim().min(1, 'must not be empty'),
    name: z.string().trim().min(1, 'must not be empty').optional(),
    keyword: z.array(z.string().trim().min(1, 'must not be empty')).optional(),
    department: z.string().trim().min(1, 'must not be empty').optional(),
    requiresApproval: z.boolean().optional(),
    confirmedOptIn: z.boolean().optional(),
  })
  .refine(
    ({ id: _id, ...changes }) => Object.values(changes).some((value) => value !== undefined),
    'name something to change: --name, --keyword, --department, --[no-]requires-approval or --[no-]confirmed-opt-in',
  );

export function registerTopics(program: Command): void {
  const topics = program.command('topics').description('topics residents subscribe to by keyword');

  topics
    .command('create')
    .description('create a topic')
    .argument('<id>', 'topic id: lowercase letters, digits and dashes, e.g. traffic')
    .requiredOption('--name <name>', 'the name residents see, e.g. "Traffic alerts"')
    .requiredOption('--keyword <kw...>', 'keywords residents text to join, e.g. TRAFFIC JAMS')
    .option('--department <department>', 'the department that owns it (default: yours, or general)')
    .option('--requires-approval', 'broadcasts need a second person to approve them')
    .action(async (id: string, options: Record<string, unknown>, command: Command) => {
      const context = contextOf(command);
      const input = parseArguments(createTopicInput, { id, ...options });
      const { data, raw } = await context.admin().createTopic({
        id: input.id,
        name: input.name,
        keywords: input.keyword,
        requiresApproval: input.requiresApproval,
        ...(input.department === undefined ? {} : { department: input.department }),
      });
      if (context.output.json) return context.output.raw(raw);
      context.output.line(`created topic ${data.id}`);
      showTopic(context.output, data);
    });

  topics
    .command('update')
    .description("change a topic's name, keywords, department (operators only) or settings; keywords given replace the old ones")
    .argument('<id>', 'topic id')
    .option('--name <name>', 'the new name residents see')
    .option('--keyword <kw...>', 'the new keywords (all of them: they replace the old ones)')
    .option('--department <department>', 'move the topic to another department (operators only)')
    .option('--requires-approval', 'broadcasts need a second person to approve them')
    .option('--no-requires-approval', 'broadcasts go out without approval (operators only)')
    .option('--confirmed-opt-in', 'joining takes a YES from the resident')
    .option('--no-confirmed-opt-in', 'joining takes effect at once')
    .action(async (id: string, options: Record<string, unknown>, command: Command) => {
      const context = contextOf(command);
      const input = parseArguments(updateTopicInput, { id, ...options });
      const { data, raw } = await context.admin().updateTopic(input.id, {
        ...(input.name === undefined ? {} : { name: input.name }),
        ...(input.keyword === undefined ? {} : { keywords: input.keyword }),
        ...(input.department === undefined ? {} : { department: input.department }),
        ...(input.requiresApproval === undefined ? {} : { requiresApproval: input.requiresApproval }),
        ...(input.confirmedOptIn === undefined ? {} : { confirmedOptIn: input.confirmedOptIn }),
      });
      if (context.output.json) return context.output.raw(raw);
      context.output.line(`updated topic ${data.id}`);
      showTopic(context.output, data);
    });

  topics
    .command('archive')
    .description('archive a topic: no new subscribers or broadcasts, keywords freed; its subscribers can still STOP')
    .argument('<id>', 'topic id')
    .action(async (id: string, _options: unknown, command: Command) => {
      const context = contextOf(command);
      const input = parseArguments(topicIdInput, { id });
      const { data, raw } = await context.admin().archiveTopic(input.id);
      if (context.output.json) return context.output.raw(raw);
      context.output.line(`archived topic ${data.id}; its keywords (${data.keywords.join(' ') || 'none'}) are free for other topics`);
    });

  topics
    .command('list')
    .description('list the topics your key can see, with subscriber counts: all of them, or a page with --limit/--cursor')
    .option('--archived', 'archived topics too')
    .option('--limit <n>', 'one page of this many topics (1–200) instead of all of them')
    .option('--cursor <cursor>', 'the page after the one that printed this cursor')
    .action(async (options: Record<string, unknown>, command: Command) => {
      const context = contextOf(command);
      const input = parseArguments(topicListInput, options);
      const admin = context.admin();
      const onePage = input.limit !== undefined || input.cursor !== undefined;
      let topics: Topic[];
      let cursor: string | undefined;
      if (onePage) {
        const { data, raw } = await admin.listTopics(input);
        if (context.output.json) return context.output.raw(raw);
        ({ topics, cursor } = data);
      } else {
        topics = await admin.listAllTopics({ archived: input.archived });
        if (context.output.json) return context.output.raw({ topics });
      }
      context.output.table(
        topics,
        [
          { heading: 'ID', value: (topic) => topic.id },
          { heading: 'NAME', value: (topic) => topic.name },
          { heading: 'KEYWORDS', value: (topic) => topic.keywords.join(' ') || '-' },
          { heading: 'DEPARTMENT', value: (topic) => topic.department },
          { heading: 'APPROVAL', value: (topic) => (topic.requiresApproval ? 'required' : '-') },
          { heading: 'SUBSCRIBERS', value: (topic) => String(topic.subscribers) },
          ...(input.archived ? [{ heading: 'ARCHIVED', value: (topic: Topic) => (topic.archivedAt ? shortTime(topic.archivedAt) : '-') }] : []),
        ],
        onePage ? 'no more topics' : 'no topics yet; create one with: crier topics create <id> --name <name> --keyword <KEYWORD>',
      );
      if (cursor) {
        const again = ['crier topics list', ...(input.archived ? ['--archived'] : []), ...(input.limit ? [`--limit ${input.limit}`] : []), `--cursor ${cursor}`];
        context.output.line(`more: ${again.join(' ')}`);
      }
    });

  topics
    .command('show')
    .description('show one topic')
    .argument('<id>', 'topic id')
    .action(async (id: string, _options: unknown, command: Command) => {
      const context = contextOf(command);
      const input = parseArguments(topicIdInput, { id });
      const { data, raw } = await context.admin().getTopic(input.id);
      if (context.output.json) return context.output.raw(raw);
      showTopic(context.output, data);
    });
}

function showTopic(output: Output, topic: Topic): void {
  output.fields([
    ['id', topic.id],
    ['name', topic.name],
    ['keywords', topic.keywords.join(' ') || '-'],
    ['department', topic.department],
    ['approval', topic.requiresApproval ? 'required (two-person rule)' : 'not required'],
    ['subscribers', String(topic.subscribers)],
    ['created', shortTime(topic.createdAt)],
    ...(topic.archivedAt ? [['archived', shortTime(topic.archivedAt)] as [string, string]] : []),
  ]);
}
