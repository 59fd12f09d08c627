import { readFileSync } from 'node:fs';
import { App, type CfnElement, type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { defaultDomainPrefix, readSignInSettings } from '../../infra/constructs/sign-in-settings.js';
import { CrierStack } from '../../infra/stack.js';

/** Staff sign-in in AWS: the Cognito user pool, its managed login domain, the console's client, federation. */

const cdkJsonContext = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context;

function synthesize(context: Record<string, unknown> = {}, stackName = 'Crier') {
  const app = new App({ context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [], ...context } });
  const stack = new CrierStack(app, stackName);
  return { stack, template: Template.fromStack(stack) };
}

const logicalId = (stack: Stack, construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
const entraSecret = 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:crier/entra-AbCdEf';
const entra = `EntraID,https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0,11111111-2222-3333-4444-555555555555,${entraSecret}`;
const google = '1234-abc.apps.googleusercontent.com,crier/google';

const { stack, template } = synthesize({ operatorEmail: 'it.ops@council.example' });
const edgeDomain = { 'Fn::GetAtt': [logicalId(stack, stack.edge.distribution), 'DomainName'] };
const poolId = logicalId(stack, stack.signIn.userPool);

describe('the user pool', () => {
  it('is one, for staff only: no self sign-up, the email as username without case, MFA by authenticator app required', () => {
    // Prepare
    const expected = {
      AdminCreateUserConfig: Match.objectLike({ AllowAdminCreateUserOnly: true }),
      UsernameAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
    };

    // Act & Assess
    template.resourceCountIs('AWS::Cognito::UserPool', 1);
    template.hasResourceProperties('AWS::Cognito::UserPool', expected);
  });

  it('asks for long passwords of every kind of character, on the Plus plan with threat protection enforced', () => {
    // Prepare
    const expected = {
      Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true }) },
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
    };

    // Act & Assess
    template.hasResourceProperties('AWS::Cognito::UserPool', expected);
  });

  it('survives a mistaken stack deletion: deletion protection on, retained by CloudFormation', () => {
    // Prepare
    const pool = template.toJSON().Resources[poolId];

    // Act
    const { DeletionPolicy, UpdateReplacePolicy, Properties } = pool;

    // Assess
    expect(Properties.DeletionProtection).toBe('ACTIVE');
    expect(DeletionPolicy).toBe('Retain');
    expect(UpdateReplacePolicy).toBe('Retain');
  });

  it("invites people with the console's address in the email", () => {
    // Prepare
    const invitation = template.toJSON().Resources[poolId].Properties.AdminCreateUserConfig.InviteMessageTemplate;

    // Act
    const body = JSON.stringify(invitation.EmailMessage);

    // Assess
    expect(body).toContain(JSON.stringify(edgeDomain));
    expect(body).toContain('/console/');
    expect(body).toContain('{username}');
    expect(body).toContain('{####}');
  });
});

describe("the console's client", () => {
  const client = () => Object.values(template.findResources('AWS::Cognito::UserPoolClient'))[0]!.Properties;

  it('is confidential, code flow only, with the openid, email and profile scopes, and no plain-password flow', () => {
    // Prepare
    const expected = {
      GenerateSecret: true,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
      SupportedIdentityProviders: ['COGNITO'],
    };

    // Act
    const properties = client();

    // Assess
    template.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
    expect(properties).toMatchObject(expected);
    expect(properties.ExplicitAuthFlows ?? []).toEqual([]);
  });

  it("sends people back to the console's callback, and after sign-out to its signed-out page, at crier's public address", () => {
    // Prepare
    const at = (path: string) => ({ 'Fn::Join': ['', ['https://', edgeDomain, path]] });

    // Act
    const { CallbackURLs, LogoutURLs } = client();

    // Assess
    expect(CallbackURLs).toEqual([at('/console/auth/callback')]);
    expect(LogoutURLs).toEqual([at('/console/signed-out')]);
  });

  it('uses -c publicBaseUrl for the callback when a custom domain is in front', () => {
    // Prepare
    const custom = synthesize({ publicBaseUrl: 'https://alerts.council.example/' }).template;

    // Act
    const properties = Object.values(custom.findResources('AWS::Cognito::UserPoolClient'))[0]!.Properties;

    // Assess
    expect(properties.CallbackURLs).toEqual(['https://alerts.council.example/console/auth/callback']);
    expect(properties.LogoutURLs).toEqual(['https://alerts.council.example/console/signed-out']);
  });

  it('issues tokens that live minutes: the console reads them once, at sign-in', () => {
    // Prepare
    const expected = {
      IdTokenValidity: 5,
      AccessTokenValidity: 5,
      RefreshTokenValidity: 60,
      AuthSessionValidity: 3,
      TokenValidityUnits: { IdToken: 'minutes', AccessToken: 'minutes', RefreshToken: 'minutes' },
    };

    // Act & Assess
    expect(client()).toMatchObject(expected);
  });

  it('keeps its secret in Secrets Manager by CloudFormation attribute, with no custom resource to read it', () => {
    // Prepare
    const clientId = logicalId(stack, stack.signIn.client);

    // Act
    const secret = template.toJSON().Resources[logicalId(stack, stack.secrets.byId.consoleClient)].Properties;

    // Assess
    expect(secret.SecretString).toEqual({ 'Fn::GetAtt': [clientId, 'ClientSecret'] });
    expect(Object.keys(template.findResources('Custom::DescribeCognitoUserPoolClient'))).toEqual([]);
  });

  it('tells the console its issuer, client id and secret, and the first operator', () => {
    // Prepare
    const variables = template.toJSON().Resources[logicalId(stack, stack.functions.console.function)].Properties.Environment.Variables;

    // Act
    const issuer = JSON.stringify(variables.OIDC_ISSUER);

    // Assess
    expect(issuer).toContain('https://cognito-idp.');
    expect(issuer).toContain(JSON.stringify({ Ref: poolId }));
    expect(variables.OIDC_CLIENT_ID).toEqual({ Ref: logicalId(stack, stack.signIn.client) });
    expect(variables.OIDC_CLIENT_SECRET_ARN).toEqual({ Ref: logicalId(stack, stack.secrets.byId.consoleClient) });
    expect(variables.OIDC_CLIENT_SECRET).toBeUndefined();
    expect(variables.FIRST_OPERATOR_EMAIL).toBe('it.ops@council.example');
  });
});

describe('managed login', () => {
  it("is on a Cognito domain named after the stack and the account by default, with Cognito's own style", () => {
    // Prepare
    const expected = { UserPoolId: { Ref: poolId }, ManagedLoginVersion: 2, Domain: { 'Fn::Join': ['', ['crier-', { Ref: 'AWS::AccountId' }]] } };

    // Act & Assess
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', expected);
    template.hasResourceProperties('AWS::Cognito::ManagedLoginBranding', {
      UserPoolId: { Ref: poolId },
      ClientId: { Ref: logicalId(stack, stack.signIn.client) },
      UseCognitoProvidedValues: true,
    });
  });

  it('takes its prefix from -c cognitoDomainPrefix', () => {
    // Prepare
    const context = { cognitoDomainPrefix: 'camden-alerts' };

    // Act
    const named = synthesize(context).template;

    // Assess
    named.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'camden-alerts' });
  });
});

describe('the first operator', () => {
  it('is a Cognito user made from -c operatorEmail, invited by email, the email verified', () => {
    // Prepare
    const expected = {
      UserPoolId: { Ref: poolId },
      Username: 'it.ops@council.example',
      DesiredDeliveryMediums: ['EMAIL'],
      UserAttributes: [
        { Name: 'email', Value: 'it.ops@council.example' },
        { Name: 'email_verified', Value: 'true' },
      ],
    };

    // Act & Assess
    template.resourceCountIs('AWS::Cognito::UserPoolUser', 1);
    template.hasResourceProperties('AWS::Cognito::UserPoolUser', expected);
  });

  it('is not made without -c operatorEmail', () => {
    // Prepare
    const without = synthesize().template;

    // Act
    const users = without.findResources('AWS::Cognito::UserPoolUser');

    // Assess
    expect(Object.keys(users)).toEqual([]);
  });
});

describe('federation with the council’s identity provider', () => {
  const federated = synthesize({ oidcFederation: entra, googleFederation: google });
  const providers = Object.values(federated.template.findResources('AWS::Cognito::UserPoolIdentityProvider')).map((resource) => resource.Properties);

  it('adds Entra ID by OpenID Connect, its secret read by CloudFormation from Secrets Manager, verified email from xms_edov', () => {
    // Prepare
    const oidc = providers.find((provider) => provider.ProviderType === 'OIDC');

    // Act
    const details = oidc?.ProviderDetails;

    // Assess
    expect(oidc).toMatchObject({ ProviderName: 'EntraID', AttributeMapping: { email: 'email', email_verified: 'xms_edov', name: 'name' } });
    expect(details).toMatchObject({
      client_id: '11111111-2222-3333-4444-555555555555',
      oidc_issuer: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0',
      authorize_scopes: 'openid email profile',
    });
    expect(details.client_secret).toBe(`{{resolve:secretsmanager:${entraSecret}:SecretString:::}}`);
  });

  it('adds Google Workspace with Google’s own attributes', () => {
    // Prepare
    const googleProvider = providers.find((provider) => provider.ProviderType === 'Google');

    // Act
    const details = googleProvider?.ProviderDetails;

    // Assess
    expect(googleProvider?.AttributeMapping).toEqual({ email: 'email', email_verified: 'email_verified', name: 'name' });
    expect(details).toMatchObject({ client_id: '1234-abc.apps.googleusercontent.com', authorize_scopes: 'openid email profile' });
    expect(details.client_secret).toBe('{{resolve:secretsmanager:crier/google:SecretString:::}}');
  });

  it('offers both on the console client beside Cognito’s own users (by reference, so CloudFormation makes them first)', () => {
    // Prepare
    const expected = ['COGNITO', ...federated.stack.signIn.federated.map((provider) => ({ Ref: logicalId(federated.stack, provider) }))];

    // Act
    const client = federated.template.toJSON().Resources[logicalId(federated.stack, federated.stack.signIn.client)];

    // Assess
    expect(expected).toHaveLength(3);
    expect(client.Properties.SupportedIdentityProviders).toEqual(expected);
  });

  it('maps a generic OpenID provider’s own email_verified claim', () => {
    // Prepare
    const other = `Okta,https://council.okta.com,abc,${entraSecret}`;

    // Act
    const oidc = Object.values(synthesize({ oidcFederation: other }).template.findResources('AWS::Cognito::UserPoolIdentityProvider'))[0]?.Properties;

    // Assess
    expect(oidc.AttributeMapping.email_verified).toBe('email_verified');
  });
});

describe('sign-in settings from context', () => {
  const read = (context: Record<string, string>, stackName = 'Crier') => {
    const app = new App({ context });
    return readSignInSettings(app.node, { stackName, account: '123456789012' });
  };

  it.each([
    ['Crier', 'crier-123456789012'],
    ['CrierStaging', 'crierstaging-123456789012'],
    ['Crier_Aws_Test', 'crier-test-123456789012'],
    ['CognitoCrier', 'crier-123456789012'],
    ['AWS', 'crier-123456789012'],
  ])('makes a valid default domain prefix from the stack name %s: %s', (stackName, expected) => {
    // Prepare
    const account = '123456789012';

    // Act
    const prefix = defaultDomainPrefix(stackName, account);

    // Assess
    expect(prefix).toBe(expected);
  });

  it.each([
    [{ cognitoDomainPrefix: 'Camden' }, 'cognitoDomainPrefix=Camden is invalid: must be 1 to 63 lower-case letters'],
    [{ cognitoDomainPrefix: 'camden-' }, 'cognitoDomainPrefix=camden- is invalid'],
    [{ cognitoDomainPrefix: 'my-cognito' }, 'must not contain aws, amazon or cognito'],
    [{ operatorEmail: 'it.ops' }, 'operatorEmail=it.ops is invalid: must be an email address'],
    [{ oidcFederation: 'EntraID,https://login.microsoftonline.com/x/v2.0' }, 'CDK context oidcFederation is invalid: must be 4 comma-separated values: name,issuerUrl,clientId,clientSecret'],
    [{ oidcFederation: `EntraID,http://idp.example,abc,${entraSecret}` }, 'issuerUrl must be an https URL'],
    [{ oidcFederation: `Entra ID,https://idp.example,abc,${entraSecret}` }, 'name must be 1 to 32 letters'],
    [{ googleFederation: 'abc,crier/google' }, 'clientId must be a Google OAuth client id'],
    [{ googleFederation: '1234-abc.apps.googleusercontent.com,not a secret name' }, 'must be a Secrets Manager secret name or ARN'],
  ])('refuses %o, naming the key', (context, message) => {
    // Prepare
    const settings = () => read(context);

    // Act & Assess
    expect(settings).toThrow(message);
  });

  it('never repeats a federation value in its refusal: the secret itself may have been pasted there', () => {
    // Prepare
    const pasted = 'EntraID,https://idp.example,abc,s3cr3t value';

    // Act & Assess
    expect(() => read({ oidcFederation: pasted })).toThrow(/^CDK context oidcFederation is invalid: [^,]*$/);
  });
});

describe('outputs', () => {
  it("tell operators the console's address, the user pool and the sign-in domain", () => {
    // Prepare
    const outputs = template.toJSON().Outputs;

    // Act
    const { ConsoleUrl, StaffUserPoolId, StaffSignInDomain } = outputs;

    // Assess
    expect(ConsoleUrl.Value).toEqual({ 'Fn::Join': ['', ['https://', edgeDomain, '/console/']] });
    expect(StaffUserPoolId.Value).toEqual({ Ref: poolId });
    expect(JSON.stringify(StaffSignInDomain.Value)).toContain('.auth.');
  });
});
