import nunjucks from 'nunjucks';
import { assetManifest } from './build-assets.js';
import { govukFrontendDir, viewsDir } from './paths.js';

let environment: nunjucks.Environment | undefined;

/**
 * The console's Nunjucks environment: its own views first, then govuk-frontend's (`govuk/…`), so
 * pages use the design system's macros as published. Autoescaping is on: every value a person or
 * resident typed is escaped unless a template says otherwise.
 */
export function views(): nunjucks.Environment {
  if (environment) return environment;
  environment = new nunjucks.Environment(new nunjucks.FileSystemLoader([viewsDir, govukFrontendDir()]), {
    autoescape: true,
    throwOnUndefined: false,
  });
  const manifest = assetManifest();
  environment.addGlobal('asset', (name: string) => {
    const file = manifest[name];
    if (!file) throw new Error(`no console asset named ${name}: is it listed in console/build-assets.ts?`);
    return `/console/assets/${file}`;
  });
  return environment;
}

export function renderView(view: string, context: Record<string, unknown>): string {
  return views().render(view, context);
}
