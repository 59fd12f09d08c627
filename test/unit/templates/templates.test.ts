import { describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, NotFoundError } from '../../../shared/domain/errors.js';
import {
  archiveTemplate,
  createTemplate,
  editTemplate,
  getTemplate,
  listTemplates,
  templateVersions,
} from '../../../shared/templates/manage-templates.js';
import { fillPlaceholders, placeholdersOf, placeholderValueProblem, templatePlaceholders } from '../../../shared/templates/placeholders.js';
import { byFolder, changedFields, templateContentSchema, textIn, type TemplateContent, type TemplateField } from '../../../shared/templates/template.js';
import type { CoreDependencies } from '../../../shared/ports/dependencies.js';
import type { FanOutTask } from '../../../shared/domain/jobs.js';
import { createBroadcast } from '../../../shared/broadcasts/broadcasts.js';
import type { BroadcastDependencies } from '../../../shared/ports/dependencies.js';
import { aPrincipal, aTopic, broadcastSettings } from '../../support/builders.js';
import { FixedClock, RecordingQueue, SequentialIds, inMemoryStores } from '../../support/in-memory-stores.js';

const sender = aPrincipal({ keyId: 'key-ana', name: 'Ana Jones', role: 'sender', department: 'traffic' });
const otherSender = aPrincipal({ keyId: 'key-bo', name: 'Bo Evans', role: 'sender', department: 'traffic' });
const youthSender = aPrincipal({ keyId: 'key-cy', name: 'Cy Rees', role: 'sender', department: 'youth' });
const operator = aPrincipal({ keyId: 'key-op', name: 'IT operator', role: 'operator', department: '*' });

function setUp() {
  const stores = inMemoryStores();
  const deps: CoreDependencies = { stores, clock: new FixedClock('2026-12-01T09:00:00.000Z'), ids: new SequentialIds('tpl') };
  return { deps, stores };
}

const content = (overrides: Partial<TemplateContent> = {}): TemplateContent =>
  templateContentSchema.parse({ name: 'Road closed', folder: 'Roads', body: 'The ((road)) is closed until ((time)).', ...overrides });

describe('templatePlaceholders', () => {
  it.each([
    ['no placeholder', 'Bins are late today.', []],
    ['one', 'The ((road)) is closed.', ['road']],
    ['two, in order of use', '((time)): the ((road)) is closed.', ['time', 'road']],
    ['one written twice in two spellings', '((Road)) then (( road ))', ['Road']],
    ['a name of several words', 'On ((date of event))', ['date of event']],
    ['a resident placeholder, which is not a template one', 'In {{area|your area}}', []],
  ])('finds %s', (_case, text, names) => {
    // Act
    const parsed = templatePlaceholders(text);

    // Assess
    expect(parsed).toEqual({ ok: true, placeholders: names.map((name) => expect.objectContaining({ name })) });
  });

  it.each([
    ['an unclosed "(("', 'The ((road is closed', '"((" at character 5 is never closed with "))"'],
    ['an empty name', 'The (()) is closed', '"(())" at character 5 is not a placeholder name'],
    ['a name with punctuation', 'The ((road!)) is closed', '"((road!))" at character 5 is not a placeholder name'],
  ])('refuses %s, saying where', (_case, text, message) => {
    // Act
    const parsed = templatePlaceholders(text);

    // Assess
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? [] : parsed.errors[0]).toContain(message);
  });
});

describe('fillPlaceholders', () => {
  it('fills each placeholder with its value, whatever its spelling, and leaves the others', () => {
    // Act
    const filled = fillPlaceholders('((Road)) shut; (( road )) open at ((time)).', { road: 'A470' });

    // Assess
    expect(filled).toBe('A470 shut; A470 open at ((time)).');
  });

  it('gathers the placeholders of several texts once each', () => {
    // Act
    const placeholders = placeholdersOf(['The ((road)).', 'Mae ((road)) ar gau ((heno)).', 'bad ((']);

    // Assess
    expect(placeholders.map((placeholder) => placeholder.key)).toEqual(['road', 'heno']);
  });

  it.each([
    ['', 'must not be empty'],
    ['x'.repeat(201), 'must be at most 200 characters'],
    ['((road))', 'must not contain'],
    ['{{area}}', 'must not contain'],
    ['A470', undefined],
  ])('judges the value %j', (value, problem) => {
    // Act
    const said = placeholderValueProblem(value);

    // Assess
    if (problem === undefined) expect(said).toBeUndefined();
    else expect(said).toContain(problem);
  });
});

describe('templateContentSchema', () => {
  it.each([
    ['name', { name: ' ' }, 'must not be empty'],
    ['folder', { folder: 'x'.repeat(41) }, 'must be at most 40 characters'],
    ['body', { body: 'The ((road is shut' }, 'never closed'],
    ['body', { body: 'In {{postcode}}' }, 'unknown placeholder'],
    ['variants.cy', { variants: { cy: '(())' } }, 'not a placeholder name'],
    ['variants', { variants: { en: 'Hello' } }, ''],
    ['whatsappTemplate.name', { whatsappTemplate: { name: 'Road Closed' } }, 'WhatsApp template name'],
    ['whatsappTemplate.parameters.0', { whatsappTemplate: { name: 'road_closed', parameters: ['((road'] } }, 'never closed'],
  ])('refuses a bad %s, naming the field', (field, overrides, message) => {
    // Act
    const parsed = templateContentSchema.safeParse({ name: 'Road closed', body: 'Hello', ...overrides });

    // Assess
    expect(parsed.success).toBe(false);
    const issue = parsed.error?.issues.find((each) => each.path.join('.').startsWith(field));
    expect(issue?.message).toContain(message);
  });

  it('keeps an empty folder as none', () => {
    // Act
    const parsed = content({ folder: '  ' });

    // Assess
    expect(parsed.folder).toBeUndefined();
  });
});

describe('changedFields', () => {
  const before = content({ variants: { cy: 'Ar gau' }, whatsappTemplate: { name: 'road_closed', parameters: ['((road))'] } });
  const rows: [TemplateField, Partial<TemplateContent>][] = [
    ['name', { name: 'Road shut' }],
    ['folder', { folder: 'Highways' }],
    ['body', { body: 'Shut.' }],
    ['variants.cy', { variants: { cy: 'Wedi cau' } }],
    ['variants.es', { variants: { cy: 'Ar gau', es: 'Cerrada' } }],
    ['whatsappTemplate', { whatsappTemplate: { name: 'road_closed', parameters: ['((road))', '((time))'] } }],
  ];

  it.each(rows)('names %s when only it changed', (field, change) => {
    // Act
    const changed = changedFields(before, { ...before, ...change });

    // Assess
    expect(changed).toEqual([field]);
  });

  it('names nothing when nothing changed', () => {
    // Act
    const changed = changedFields(before, { ...before });

    // Assess
    expect(changed).toEqual([]);
  });
});

describe('textIn and byFolder', () => {
  it.each([
    ['cy', 'Ar gau'],
    ['es', 'Closed'],
    ['en', 'Closed'],
    [undefined, 'Closed'],
  ] as const)("gives a reader of %s their variant, or the body", (language, text) => {
    // Act
    const chosen = textIn({ body: 'Closed', variants: { cy: 'Ar gau' } }, language);

    // Assess
    expect(chosen).toBe(text);
  });

  it('groups templates by folder, the top level first, each by name', () => {
    // Act
    const groups = byFolder([
      { name: 'b', folder: 'Roads' },
      { name: 'z', folder: undefined },
      { name: 'a', folder: 'Roads' },
      { name: 'c', folder: 'Bins' },
    ]);

    // Assess
    expect(groups.map((group) => [group.folder, group.templates.map((template) => template.name)])).toEqual([
      [undefined, ['z']],
      ['Bins', ['c']],
      ['Roads', ['a', 'b']],
    ]);
  });
});

describe('managing templates', () => {
  it('creates a template in the sender’s department, as version 1, and audits it', async () => {
    // Prepare
    const { deps, stores } = setUp();

    // Act
    const template = await createTemplate(deps, sender, content());

    // Assess
    expect(template).toMatchObject({ department: 'traffic', version: 1, updatedByName: 'Ana Jones', changed: ['name', 'folder', 'body'] });
    expect(stores.audit.entries.map((entry) => [entry.action, entry.target])).toEqual([['template.create', { type: 'template', id: template.id }]]);
  });

  it('keeps each edit as a version: who changed what, and when', async () => {
    // Prepare
    const { deps } = setUp();
    const template = await createTemplate(deps, sender, content());

    // Act
    await editTemplate(deps, otherSender, template.id, { ...content({ body: 'The ((road)) is shut.' }), version: 1 });
    const versions = await templateVersions(deps, sender, template.id);

    // Assess
    expect(versions.map((version) => [version.version, version.updatedByName, version.changed])).toEqual([
      [2, 'Bo Evans', ['body']],
      [1, 'Ana Jones', ['name', 'folder', 'body']],
    ]);
  });

  it('refuses the second of two edits started on the same version with a ConflictError, and keeps the first', async () => {
    // Prepare
    const { deps, stores } = setUp();
    const template = await createTemplate(deps, sender, content());
    await editTemplate(deps, sender, template.id, { ...content({ name: 'Ana’s' }), version: 1 });

    // Act
    const second = editTemplate(deps, otherSender, template.id, { ...content({ name: 'Bo’s' }), version: 1 });

    // Assess
    await expect(second).rejects.toThrow(ConflictError);
    await expect(second).rejects.toThrow('changed by someone else since version 1');
    expect((await getTemplate(deps, sender, template.id)).name).toBe('Ana’s');
    expect(stores.audit.entries.filter((entry) => entry.action === 'template.edit')).toHaveLength(1);
  });

  it('makes no version for an edit that changes nothing', async () => {
    // Prepare
    const { deps } = setUp();
    const template = await createTemplate(deps, sender, content());

    // Act
    const edited = await editTemplate(deps, sender, template.id, { ...content(), version: 1 });

    // Assess
    expect(edited.version).toBe(1);
  });

  it('archives once, out of the list, and refuses to edit it afterwards', async () => {
    // Prepare
    const { deps, stores } = setUp();
    const template = await createTemplate(deps, sender, content());

    // Act
    const archived = await archiveTemplate(deps, sender, template.id);
    const again = await archiveTemplate(deps, sender, template.id);

    // Assess
    expect(archived).toMatchObject({ version: 2, changed: ['archived'] });
    expect(again.version).toBe(2);
    expect(await listTemplates(deps, sender)).toEqual([]);
    expect(await listTemplates(deps, sender, { archived: true })).toHaveLength(1);
    await expect(editTemplate(deps, sender, template.id, { ...content(), version: 2 })).rejects.toThrow('is archived');
    expect(stores.audit.entries.filter((entry) => entry.action === 'template.archive')).toHaveLength(1);
  });

  it("answers another department's template as one that does not exist", async () => {
    // Prepare
    const { deps } = setUp();
    const template = await createTemplate(deps, sender, content());

    // Act
    const read = getTemplate(deps, youthSender, template.id);
    const edit = editTemplate(deps, youthSender, template.id, { ...content(), version: 1 });

    // Assess
    await expect(read).rejects.toThrow(NotFoundError);
    await expect(edit).rejects.toThrow(NotFoundError);
    expect(await listTemplates(deps, youthSender)).toEqual([]);
  });

  it.each(['approver', 'viewer'] as const)('lets an %s read templates but not write them', async (role) => {
    // Prepare
    const { deps } = setUp();
    const template = await createTemplate(deps, sender, content());
    const reader = aPrincipal({ role, department: 'traffic' });

    // Act
    const read = await getTemplate(deps, reader, template.id);
    const write = createTemplate(deps, reader, content());

    // Assess
    expect(read.id).toBe(template.id);
    await expect(write).rejects.toThrow(ForbiddenError);
  });

  it('lets an operator list another department by name, and filter by folder', async () => {
    // Prepare
    const { deps } = setUp();
    await createTemplate(deps, sender, content());
    await createTemplate(deps, sender, content({ name: 'Bins', folder: undefined }));

    // Act
    const roads = await listTemplates(deps, operator, { department: 'traffic', folder: 'Roads' });
    const top = await listTemplates(deps, operator, { department: 'traffic', folder: '' });

    // Assess
    expect(roads.map((template) => template.name)).toEqual(['Road closed']);
    expect(top.map((template) => template.name)).toEqual(['Bins']);
  });
});

describe('a broadcast from a template', () => {
  async function setUpBroadcasts() {
    const stores = inMemoryStores();
    await stores.topics.create(aTopic({ id: 'traffic', department: 'traffic' }));
    const deps: BroadcastDependencies = { stores, clock: new FixedClock('2026-12-01T09:00:00.000Z'), ids: new SequentialIds('x'), fanOutTasks: new RecordingQueue<FanOutTask>(), topicShards: 2, ...broadcastSettings() };
    return { deps, stores };
  }

  it('records the template, its version and its name then on the broadcast', async () => {
    // Prepare
    const { deps } = await setUpBroadcasts();
    const template = await createTemplate(deps, sender, content());

    // Act
    const broadcast = await createBroadcast(deps, sender, { topics: ['traffic'], body: 'The A470 is closed.', priority: 'normal', draft: true, fromTemplate: { id: template.id, version: 1 } });

    // Assess
    expect(broadcast.fromTemplate).toEqual({ id: template.id, version: 1, name: 'Road closed' });
  });

  it("refuses another department's template as not found, and a version it never had naming the field, and makes nothing", async () => {
    // Prepare
    const { deps, stores } = await setUpBroadcasts();
    const youth = await createTemplate(deps, youthSender, content());
    const ours = await createTemplate(deps, sender, content());

    // Act
    const outsider = createBroadcast(deps, sender, { topics: ['traffic'], body: 'Hi.', priority: 'normal', draft: true, fromTemplate: { id: youth.id, version: 1 } });
    const unknownVersion = createBroadcast(deps, sender, { topics: ['traffic'], body: 'Hi.', priority: 'normal', draft: true, fromTemplate: { id: ours.id, version: 7 } });

    // Assess
    await expect(outsider).rejects.toThrow(NotFoundError);
    await expect(unknownVersion).rejects.toMatchObject({ details: [{ field: 'fromTemplate.version', message: `template ${ours.id} has no version 7` }] });
    expect((await stores.broadcasts.list({ department: '*', limit: 10, cursor: undefined })).items).toEqual([]);
  });
});
