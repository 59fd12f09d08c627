import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { assetManifest } from '../../console/build-assets.js';
import { assetsDir } from '../../console/paths.js';

const contentTypes: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/**
 * The console's assets: only the files the build named in its manifest (so no path can reach
 * anything else), each named by its content's hash, so a year's cache is safe: a change is a new name.
 */
export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  const file = event.pathParameters?.file ?? '';
  const known = new Set(Object.values(assetManifest()));
  if (!known.has(file)) return { statusCode: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Not found' };
  const extension = file.slice(file.lastIndexOf('.'));
  const content = readFileSync(join(assetsDir(), file));
  const text = extension === '.css' || extension === '.js' || extension === '.svg';
  return {
    statusCode: 200,
    headers: {
      'content-type': contentTypes[extension] ?? 'application/octet-stream',
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
    },
    body: text ? content.toString('utf8') : content.toString('base64'),
    isBase64Encoded: !text,
  };
};
