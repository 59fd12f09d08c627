import type { SignedInPerson } from './person.js';

/**
 * What the console's middleware puts on a request's context for its pages. In a module of its own
 * (not app.ts, which mounts the pages) so that pages and the middleware can name it without
 * importing the app that imports them.
 */
export interface ConsoleEnv {
  Variables: {
    serviceName: string;
    /** Minutes without a request after which a session ends: the page warns before then. */
    sessionIdleMinutes: number;
    secureHeadersNonce?: string;
    /** Set by requirePerson on every page behind sign-in. */
    person?: SignedInPerson;
    /**
     * The navigation's count of unhandled inbox messages ("12", "500+"), read only when a page is
     * rendered (never for a form post that redirects, a script's poll or a download); undefined
     * for a person who may not read the inbox.
     */
    unhandledInbox?: () => Promise<string | undefined>;
  };
}
