import { Hono } from 'hono';
import type { ConsoleEnv } from '../console-env.js';
import type { ConsoleDependencies } from '../dependencies.js';
import { page } from '../page.js';
import { notePerson } from '../session-middleware.js';

/** The accessibility statement, in GOV.UK's format; open to anyone, and showing who is signed in, if anyone. */
export function accessibilityPage(deps: ConsoleDependencies) {
  const routes = new Hono<ConsoleEnv>();
  routes.get('/console/accessibility', notePerson(deps), (c) => page(c, 'accessibility.njk', { pageTitle: 'Accessibility statement', idleMinutes: deps.sessionPolicy.idleMinutes }));
  return routes;
}
