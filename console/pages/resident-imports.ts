import { Hono, type Context } from 'hono';
import { ImportRefusedError, ValidationError, type ImportProblem } from '../../shared/domain/errors.js';
import { importColumns, requiredImportColumns, consentColumns } from '../../shared/domain/subscriber-import.js';
import { authorize } from '../../shared/staff/access.js';
import { checkImport } from '../../shared/residents/import-subscribers/check-import.js';
import type { ConsentGiven } from '../../shared/residents/import-subscribers/csv-rows.js';
import { getImportBatch } from '../../shared/residents/import-subscribers/import-batches.js';
import { importSubscribers } from '../../shared/residents/import-subscribers/import-subscribers.js';
import type { ConsoleEnv } from '../console-env.js';
import type { ConsoleDependencies } from '../dependencies.js';
import { page } from '../page.js';
import type { FieldError } from '../views-model/field-error.js';
import { namesOf } from '../people.js';
import { sentence } from '../sentence.js';
import { signedIn } from '../signed-in.js';
import { consentFormFrom, consentOf, emptyConsentForm, isBlank, type ConsentForm } from '../views-model/consent-form.js';
import { importBatchPath, importBatchView } from '../views-model/import-batch.js';
import { importPreview, problemGroups, problemSummary } from '../views-model/import-check.js';
import { carriedCsv, carry, importLimits, uploadedCsv } from '../views-model/uploaded-file.js';

const IMPORT = '/console/residents/import';

function fieldErrors(errors: FieldError[]): Record<string, { text: string }> {
  return Object.fromEntries(errors.map((error) => [error.href.replace(/^#/, ''), { text: error.text }]));
}

/** The columns as the upload page lists them: required or optional, consent given in the file or on the check page. */
const columnRows = importColumns.map((column) => ({
  column,
  need: consentColumns.includes(column) ? 'Optional: or give it once for the whole file on the next page' : requiredImportColumns.includes(column) ? 'Required' : 'Optional',
}));

/**
 * Importing residents from a spreadsheet, as GOV.UK Notify sends from one: upload a CSV file, a
 * check page that lists its problems grouped by kind and row by row (nothing is imported while
 * there are any: fix the file and upload it again), the consent evidence for rows that give none,
 * then Import, and the batch's page afterwards. Each step is the import's own use case as the
 * person (the API's `POST /v1/subscribers/import`), so its rules and its all-or-nothing decide.
 *
 * Between the check and Import, the file waits in the check page itself (a hidden field), not in
 * the table: a file may be 1 MB and a DynamoDB item (the session's, or a pending import's) holds
 * 400 KB, so it would have to be split over items and swept after. Import checks every row again
 * anyway (a resident may text STOP in between), so carrying the file back costs no trust: what
 * comes back is checked as if uploaded again, and the same file with the same evidence is the
 * same batch, so pressing Import twice imports once.
 */
export function residentImportPages(deps: ConsoleDependencies) {
  const routes = new Hono<ConsoleEnv>();
  const core = deps.broadcasts;
  const { timeZone } = core.window;

  function uploadPage(c: Context<ConsoleEnv>, errors: FieldError[] = []) {
    return page(
      c,
      'residents/import.njk',
      { pageTitle: 'Import residents from a spreadsheet', backLink: '/console/residents', columnRows, limits: importLimits, errors, fieldErrors: fieldErrors(errors) },
      errors.length ? 400 : 200,
    );
  }

  async function topicNames(ids: readonly string[]): Promise<(id: string) => string> {
    const names = new Map<string, string>();
    await Promise.all(ids.map(async (id) => names.set(id, (await core.stores.topics.get(id))?.name ?? id)));
    return (id) => names.get(id) ?? id;
  }

  function problemsPage(c: Context<ConsoleEnv>, fileName: string, problems: readonly ImportProblem[], batchPath?: string) {
    const groups = problemGroups(problems);
    return page(
      c,
      'residents/import-problems.njk',
      { pageTitle: `There is a problem with ${fileName}`, backLink: IMPORT, fileName, groups, errors: problemSummary(groups), batchPath },
      400,
    );
  }

  /** Checks the file and shows what is wrong with it, or what it would do and the consent evidence it needs. */
  async function checkPage(c: Context<ConsoleEnv>, csv: string, fileName: string, form: ConsentForm = emptyConsentForm, formErrors: FieldError[] = []) {
    const check = await checkImport(core, signedIn(c).principal, { csv, defaultCountry: deps.defaultCountry, consentGivenApart: true });
    // A problem with the file as a whole (empty, no rows, too many rows) is the upload's: said beside the file input.
    if (check.rows === 0 && check.issues.every((issue) => issue.line === undefined)) {
      return uploadPage(c, check.issues.map((issue) => ({ text: sentence(issue.message), href: '#file' })));
    }
    if (check.issues.length > 0) return problemsPage(c, fileName, check.issues);
    const topicIds = [...(check.plan?.apply ?? []), ...(check.plan?.alreadySubscribed ?? [])].map(({ row }) => row.topic);
    return page(
      c,
      'residents/import-check.njk',
      {
        pageTitle: 'Check the residents to import',
        backLink: IMPORT,
        fileName,
        carried: carry(csv),
        preview: importPreview(check, await topicNames([...new Set(topicIds)])),
        rowsWithoutConsent: check.rowsWithoutConsent,
        form,
        errors: formErrors,
        fieldErrors: fieldErrors(formErrors),
      },
      formErrors.length ? 400 : 200,
    );
  }

  routes.get(IMPORT, (c) => {
    authorize(signedIn(c).principal, 'subscribers:import');
    return uploadPage(c);
  });

  routes.post(IMPORT, async (c) => {
    authorize(signedIn(c).principal, 'subscribers:import');
    const upload = await uploadedCsv((await c.req.parseBody()).file);
    if (!upload.ok) return uploadPage(c, [upload.error]);
    return checkPage(c, upload.csv, upload.name);
  });

  routes.post(`${IMPORT}/confirm`, async (c) => {
    const { principal } = signedIn(c);
    authorize(principal, 'subscribers:import');
    const body = await c.req.parseBody();
    const csv = carriedCsv(body.carried);
    const fileName = typeof body.fileName === 'string' && body.fileName ? body.fileName : 'the file';
    if (csv === undefined) return uploadPage(c, [{ text: 'Upload the file again: the one checked did not come back whole', href: '#file' }]);
    const form = consentFormFrom(body);
    let consent: ConsentGiven | undefined;
    if (!isBlank(form)) {
      const given = consentOf(form, core.clock.now());
      if (!given.ok) return checkPage(c, csv, fileName, form, given.errors);
      consent = given.consent;
    }
    try {
      const summary = await importSubscribers(core, principal, { csv, defaultCountry: deps.defaultCountry, consentGivenApart: true, consent });
      return c.redirect(importBatchPath(summary.batchId), 303);
    } catch (error) {
      // Something changed since the check (a STOP, an archived topic): the refusal, grouped as before.
      if (error instanceof ImportRefusedError) return problemsPage(c, fileName, error.problems, importBatchPath(error.batchId));
      // Rows without their own evidence, and none typed: each field says what it needs.
      if (error instanceof ValidationError && error.details.some((issue) => issue.field === 'consent')) {
        const needed = consentOf(form, core.clock.now());
        return checkPage(c, csv, fileName, form, needed.ok ? [] : needed.errors);
      }
      throw error;
    }
  });

  routes.get('/console/residents/imports/:id', async (c) => {
    const batch = await getImportBatch(core, signedIn(c).principal, c.req.param('id'));
    const [nameOf, topicName] = await Promise.all([namesOf(core, [batch.actor]), topicNames(batch.topics.map((topic) => topic.topicId))]);
    const view = importBatchView(batch, { nameOf, timeZone, topicName });
    return page(c, 'residents/import-batch.njk', { pageTitle: `Import of ${view.when}`, backLink: '/console/residents', batch: view });
  });

  return routes;
}
