import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { createKeyRequest } from '../../shared/api/key-schemas.js';
import { NotFoundError } from '../../shared/domain/errors.js';
import { keyModeSchema, roleSchema } from '../../shared/domain/model.js';
import type { ApiKeyRecord } from '../../shared/staff/api-key-store.js';
import { authorize } from '../../shared/staff/access.js';
import { createKey, listKeys, revokeKey } from '../../shared/staff/keys.js';
import type { ConsoleEnv } from '../console-env.js';
import type { ConsoleDependencies } from '../dependencies.js';
import { messagePage, page } from '../page.js';
import type { FieldError } from '../views-model/field-error.js';
import { signedIn } from '../signed-in.js';
import { fieldErrorsOf, formErrors, type FormField } from '../views-model/form-errors.js';
import { keyRow, keyRows } from '../views-model/keys.js';
import { modeOptions, roleOptions } from '../views-model/team.js';
import { operatorsNavigation } from '../views-model/operators-navigation.js';

/** As many keys as one page lists: the API's own largest page. */
const KEYS_PAGE_SIZE = 100;

/** The ids keys are stored under (as POST /v1/keys/{id}/revoke accepts): anything else is no key. */
const keyIdSchema = z.string().regex(/^[0-9A-Za-z_-]{1,64}$/);

/** The form's fields, in its order: the names are the API's (`POST /v1/keys`). */
const keyFields: Record<string, FormField> = {
  name: { label: 'Name', whenMissing: 'Enter a name for the key' },
  role: { label: 'Role', whenMissing: 'Select the role' },
  department: { label: 'Department', whenMissing: 'Enter the department' },
  mode: { label: 'Live or test', whenMissing: 'Select live or test' },
};

type KeyForm = Partial<Record<keyof typeof keyFields, string>>;

function keyFormOf(body: Record<string, unknown>): KeyForm {
  return Object.fromEntries(Object.keys(keyFields).flatMap((name) => (typeof body[name] === 'string' ? [[name, body[name]]] : [])));
}

/**
 * API keys, for the systems and scripts that call the admin API: list, create (the secret shown
 * once, on the page that answers the form, never again: only its hash is kept), revoke. Through
 * keys.ts's use cases as the person signed in: `authorize` keeps them to live operators.
 */
export function keyPages(deps: ConsoleDependencies) {
  const routes = new Hono<ConsoleEnv>();
  const { timeZone } = deps.broadcasts.window;

  function manager(c: Context<ConsoleEnv>) {
    const { principal } = signedIn(c);
    authorize(principal, 'keys:manage');
    return principal;
  }

  async function key(c: Context<ConsoleEnv>): Promise<ApiKeyRecord> {
    manager(c);
    const id = c.req.param('id') ?? '';
    const record = keyIdSchema.safeParse(id).success ? await deps.broadcasts.stores.apiKeys.get(id) : undefined;
    if (!record) throw new NotFoundError(`no key ${id}`);
    return record;
  }

  routes.get('/console/keys', async (c) => {
    const principal = manager(c);
    const cursor = c.req.query('cursor');
    const { items, cursor: next } = await listKeys(deps.broadcasts, principal, { limit: KEYS_PAGE_SIZE, ...(cursor ? { cursor } : {}) });
    const revokedId = c.req.query('revoked');
    const revoked = revokedId && keyIdSchema.safeParse(revokedId).success ? await deps.broadcasts.stores.apiKeys.get(revokedId) : undefined;
    return page(c, 'keys/keys.njk', {
      pageTitle: 'API keys',
      backLink: '/console/team',
      notice: revoked?.revoked ? `The key ${revoked.name} was revoked. Anything still using it is refused from now on.` : undefined,
      keys: keyRows(items, timeZone),
      operatorsNav: operatorsNavigation(signedIn(c).principal, c.req.path),
      nextHref: next ? `/console/keys?cursor=${encodeURIComponent(next)}` : undefined,
    });
  });

  function newKeyPage(c: Context<ConsoleEnv>, form: KeyForm, errors: FieldError[] = []) {
    return page(
      c,
      'keys/new.njk',
      {
        pageTitle: 'Create an API key',
        backLink: '/console/keys',
        errors,
        fieldErrors: fieldErrorsOf(errors),
        form,
        roles: roleSchema.options.map((role) => ({ value: role, text: roleOptions[role].label, checked: form.role === role })),
        modes: keyModeSchema.options.map((mode) => ({ value: mode, text: modeOptions[mode].label, hint: { text: modeOptions[mode].hint }, checked: (form.mode ?? 'live') === mode })),
      },
      errors.length ? 400 : 200,
    );
  }

  routes.get('/console/keys/new', (c) => {
    manager(c);
    return newKeyPage(c, {});
  });
  routes.post('/console/keys/new', async (c) => {
    const principal = manager(c);
    const form = keyFormOf(await c.req.parseBody());
    // The API's own schema: the same rules and words as POST /v1/keys (an operator key's department is *).
    const parsed = createKeyRequest.safeParse(form);
    if (!parsed.success) return newKeyPage(c, form, formErrors(parsed.error.issues, keyFields, form));
    const created = await createKey(deps.broadcasts, principal, parsed.data);
    // Answered here, not redirected to: no address, history entry or later page can show it again.
    return page(c, 'keys/created.njk', { pageTitle: 'Copy your new API key', key: created.key, created: keyRow(created, timeZone) });
  });

  routes.get('/console/keys/:id/revoke', async (c) => {
    const record = await key(c);
    if (record.revoked) {
      return messagePage(c, 200, 'This key has already been revoked', [`Anything still using the key ${record.name} is refused.`], { href: '/console/keys', text: 'Back to API keys' });
    }
    return page(c, 'keys/revoke.njk', { pageTitle: `Revoke the key ${record.name}?`, backLink: '/console/keys', key: keyRow({ ...record, id: record.keyId }, timeZone) });
  });
  routes.post('/console/keys/:id/revoke', async (c) => {
    const record = await key(c);
    await revokeKey(deps.broadcasts, signedIn(c).principal, record.keyId);
    return c.redirect(`/console/keys?revoked=${record.keyId}`, 303);
  });
  return routes;
}
