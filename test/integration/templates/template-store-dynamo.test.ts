import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { keys } from '../../../shared/adapters/dynamo/keys.js';
import { DynamoTemplateStore } from '../../../shared/adapters/dynamo/template-store.js';
import { editedTemplate, historyOf } from '../../../shared/templates/template.js';
import { freshTable } from '../../support/dynamo-table.js';
import { aTemplate, by, templateStoreContract } from './template-store.contract.js';

/** The DynamoDB store, on a fresh table in the run's dynalite for each case, held to the template store's contract. */
templateStoreContract('DynamoTemplateStore', async () => {
  const table = await freshTable('crier-templates');
  return new DynamoTemplateStore(table.documents, table.tableName);
});

describe('DynamoTemplateStore when a write stopped part-way', () => {
  it('still shows the latest version from the record when its version item is missing', async () => {
    // Prepare
    const { documents, tableName } = await freshTable('crier-templates');
    const store = new DynamoTemplateStore(documents, tableName);
    const first = aTemplate();
    await store.create(first);
    const second = editedTemplate(first, { name: 'Road closed', body: 'Shut' }, { ...by, at: '2026-12-02T10:00:00.000Z' });
    await store.replace(second);
    await documents.send(new DeleteCommand({ TableName: tableName, Key: keys.templateVersion(first.id, 2) }));

    // Act
    const history = historyOf((await store.get(first.id))!, await store.versions(first.id));

    // Assess
    expect(history.map((version) => [version.version, version.body])).toEqual([
      [2, 'Shut'],
      [1, 'The ((road)) is closed tonight.'],
    ]);
  });

  it('lists no template for a department entry with nothing behind it (a create that stopped after naming it)', async () => {
    // Prepare
    const { documents, tableName } = await freshTable('crier-templates');
    const store = new DynamoTemplateStore(documents, tableName);
    await store.create(aTemplate());
    await documents.send(new DeleteCommand({ TableName: tableName, Key: keys.template('tpl-0001') }));

    // Act
    const listed = await store.listByDepartment('traffic');

    // Assess
    expect(listed).toEqual([]);
  });
});
