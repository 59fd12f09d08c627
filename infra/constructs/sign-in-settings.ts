import type { Node } from 'constructs';
import { z } from 'zod';
import { optionalContextString } from './deployment-settings.js';

/** The council's own OpenID provider (Microsoft Entra ID, say), as `-c oidcFederation=…` gives it. */
export interface OidcFederation {
  /** What Cognito calls it (and shows on its button): 1–32 characters, letters, digits, `._-`. */
  name: string;
  issuerUrl: string;
  clientId: string;
  /** A Secrets Manager secret (name or ARN) holding the client secret as plain text. */
  clientSecret: string;
}

/** Google Workspace, as `-c googleFederation=<clientId>,<secret name or ARN>` gives it. */
export interface GoogleFederation {
  clientId: string;
  clientSecret: string;
}

export interface SignInSettings {
  /**
   * Cognito's managed sign-in is at `https://<domainPrefix>.auth.<region>.amazoncognito.com`: the
   * `cognitoDomainPrefix` given, else the stack's name and the account id (unique in a region, as
   * Cognito requires: `crier-123456789012`), which is a CloudFormation expression.
   */
  domainPrefix: string;
  /** The first operator: Cognito emails them a temporary password; crier makes them an operator at first sign-in. */
  operatorEmail?: string;
  oidcFederation?: OidcFederation;
  googleFederation?: GoogleFederation;
}

/**
 * Cognito's rule for a domain prefix: 1 to 63 lower-case letters, digits and hyphens, not starting
 * or ending with a hyphen, and never the words aws, amazon or cognito.
 */
const domainPrefixSchema = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'must be 1 to 63 lower-case letters, digits and hyphens, not starting or ending with a hyphen')
  .refine((prefix) => !/aws|amazon|cognito/.test(prefix), 'must not contain aws, amazon or cognito (Cognito refuses them)');

const secretReference = z.string().regex(/^(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:)?[A-Za-z0-9/_+=.@-]{1,512}$/, 'must be a Secrets Manager secret name or ARN');

const oidcFederationSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9._-]{1,32}$/, 'name must be 1 to 32 letters, digits, dots, hyphens or underscores'),
  issuerUrl: z.url({ protocol: /^https$/, error: 'issuerUrl must be an https URL' }).transform((url) => url.replace(/\/+$/, '')),
  clientId: z.string().min(1, 'clientId must not be empty'),
  clientSecret: secretReference,
});

const googleFederationSchema = z.object({
  clientId: z.string().regex(/\.apps\.googleusercontent\.com$/, 'clientId must be a Google OAuth client id (…apps.googleusercontent.com)'),
  clientSecret: secretReference,
});

/**
 * `Crier` → `crier-<account>`, `CrierStaging` → `crierstaging-<account>`: a valid prefix from any
 * stack name, with the account id (12 digits) so two accounts never ask for the same domain.
 */
export function defaultDomainPrefix(stackName: string, accountId: string): string {
  return `${stackPart(stackName)}-${accountId}`;
}

function stackPart(stackName: string): string {
  const cleaned = stackName
    .toLowerCase()
    .replace(/aws|amazon|cognito/g, '')
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50)
    .replace(/-+$/, '');
  return cleaned === '' ? 'crier' : cleaned;
}

/**
 * How staff sign in, from CDK context: `cognitoDomainPrefix`, `operatorEmail`, `oidcFederation`
 * (`<name>,<issuerUrl>,<clientId>,<secret>`) and `googleFederation` (`<clientId>,<secret>`). Each is
 * checked here, so a typing mistake fails the synth with the key's name, not the deploy.
 */
export function readSignInSettings(node: Node, stack: { stackName: string; account: string }): SignInSettings {
  const prefix = optionalContextString(node, 'cognitoDomainPrefix');
  const operatorEmail = optionalContextString(node, 'operatorEmail');
  const oidc = optionalContextString(node, 'oidcFederation');
  const google = optionalContextString(node, 'googleFederation');
  return {
    domainPrefix: prefix !== undefined ? parsed('cognitoDomainPrefix', prefix, domainPrefixSchema) : defaultDomainPrefix(stack.stackName, stack.account),
    ...(operatorEmail !== undefined ? { operatorEmail: parsed('operatorEmail', operatorEmail, z.email('must be an email address')) } : {}),
    ...(oidc !== undefined ? { oidcFederation: parsed('oidcFederation', oidc, fields(['name', 'issuerUrl', 'clientId', 'clientSecret'], oidcFederationSchema)) } : {}),
    ...(google !== undefined ? { googleFederation: parsed('googleFederation', google, fields(['clientId', 'clientSecret'], googleFederationSchema)) } : {}),
  };
}

/** A comma-separated value as named fields, checked by `schema`; a wrong count is named. */
function fields<T>(names: readonly string[], schema: z.ZodType<T, any>) {
  return z
    .string()
    .transform((text) => text.split(',').map((part) => part.trim()))
    .refine((parts) => parts.length === names.length, `must be ${names.length} comma-separated values: ${names.join(',')}`)
    .transform((parts) => Object.fromEntries(names.map((name, index) => [name, parts[index]])))
    .pipe(schema);
}

/** The federation values are not echoed: someone may have pasted the secret itself where its name belongs. */
function parsed<T>(key: string, value: string, schema: z.ZodType<T, any>): T {
  const result = schema.safeParse(value);
  const shown = key.endsWith('Federation') ? key : `${key}=${value}`;
  if (!result.success) throw new Error(`CDK context ${shown} is invalid: ${result.error.issues.map((issue) => issue.message).join('; ')}`);
  return result.data;
}
