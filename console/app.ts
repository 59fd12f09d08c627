import { Hono } from 'hono';
import { NONCE, secureHeaders } from 'hono/secure-headers';
import { ConflictError, ForbiddenError, LimitExceededError, NotFoundError, ValidationError } from '../shared/domain/errors.js';
import { logger } from '../shared/runtime/logger.js';
import type { ConsoleDependencies } from './dependencies.js';
import { messagePage } from './page.js';
import type { ConsoleEnv } from './console-env.js';
import { requirePerson } from './session-middleware.js';
import { signInRoutes } from './pages/sign-in.js';
import { broadcastsHome } from './pages/broadcasts.js';
import { newBroadcastPages } from './pages/new-broadcast.js';
import { oneBroadcastPages } from './pages/broadcast.js';
import { accessibilityPage } from './pages/accessibility.js';
import { sessionRoutes } from './pages/session.js';
import { residentsPages } from './pages/residents.js';
import { residentImportPages } from './pages/resident-imports.js';
import { inboxPages, unhandledInNavigation } from './pages/inbox.js';
import { inboxListPages } from './pages/inbox-list.js';
import { auditPages } from './pages/audit.js';
import { topicPages } from './pages/topics.js';
import { templatePages } from './pages/templates.js';
import { broadcastFromTemplate } from './pages/broadcast-from-template.js';
import { inboxReplyTemplate } from './pages/inbox-reply-template.js';
import { teamPages } from './pages/team.js';
import { keyPages } from './pages/keys.js';
import { usagePages } from './pages/usage.js';
import { operationsPages } from './pages/operations.js';
import { sentence } from './sentence.js';

export { sentence };

/**
 * The web console: server-rendered GOV.UK Frontend pages on Hono. Every page works without
 * JavaScript; scripts only enhance. Sign-in is OpenID Connect (pages/sign-in.ts); every other page
 * is behind a session (session-middleware.ts), and acts through the same use cases as the admin
 * API, as the person signed in.
 */
export function createConsoleApp(deps: ConsoleDependencies): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  app.use(
    secureHeaders({
      // Scripts: the console's own files and inline scripts carrying this response's nonce; no
      // eval, no other origin, no plugins, no framing; forms post to the console only.
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", NONCE],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
      strictTransportSecurity: 'max-age=31536000; includeSubDomains',
      referrerPolicy: 'same-origin',
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.use(async (c, next) => {
    c.set('serviceName', deps.serviceName);
    c.set('sessionIdleMinutes', deps.sessionPolicy.idleMinutes);
    await next();
    // Pages show residents' data and carry CSRF tokens: never kept by the browser or a proxy.
    if (!c.res.headers.has('cache-control')) c.header('cache-control', 'no-store');
  });
  app.get('/', (c) => c.redirect('/console/', 302));
  app.get('/console', (c) => c.redirect('/console/', 302));
  app.route('/console', signInRoutes(deps));
  // Before sign-in: the accessibility statement is for anyone, signed in or not.
  app.route('/', accessibilityPage(deps));
  app.use('/console/*', requirePerson(deps));
  app.use('/console/*', unhandledInNavigation(deps));
  // Pages name their full paths ("/console/" itself included: a route "/" mounted under
  // "/console" would be "/console", which redirects to "/console/").
  app.route('/', broadcastsHome(deps));
  app.route('/', newBroadcastPages(deps));
  app.route('/', oneBroadcastPages(deps));
  app.route('/', sessionRoutes(deps));
  // Before the residents' pages: /console/residents/import is no resident's number.
  app.route('/', residentImportPages(deps));
  app.route('/', residentsPages(deps));
  // The list (and its export) before the conversation's /console/inbox/:id, which would take "export" for an id.
  app.route('/', inboxListPages(deps));
  app.route('/', inboxPages(deps));
  app.route('/', templatePages(deps));
  app.route('/', broadcastFromTemplate(deps));
  app.route('/', inboxReplyTemplate(deps));
  app.route('/', topicPages(deps));
  app.route('/', teamPages(deps));
  app.route('/', keyPages(deps));
  // Operators only; linked from their pages, not the navigation (its links are fixed).
  app.route('/', auditPages(deps));
  app.route('/', usagePages(deps));
  app.route('/', operationsPages(deps));

  app.notFound((c) => messagePage(c, 404, 'Page not found', ['If you typed the web address, check it is correct.'], { href: '/console/', text: 'Go to broadcasts' }));
  app.onError((error, c) => {
    if (error instanceof NotFoundError) return messagePage(c, 404, 'Page not found', [error.message], { href: '/console/', text: 'Go to broadcasts' });
    if (error instanceof ForbiddenError) return messagePage(c, 403, 'You cannot do that', [sentence(error.message)], { href: '/console/', text: 'Go to broadcasts' });
    if (error instanceof ValidationError || error instanceof ConflictError || error instanceof LimitExceededError) return messagePage(c, 400, 'There is a problem', [sentence(error.message)], { href: '/console/', text: 'Go to broadcasts' });
    logger.error('console page failed', { error: error as Error, path: c.req.path });
    return messagePage(c, 500, 'Sorry, there is a problem with the service', ['Try again later.']);
  });
  return app;
}

