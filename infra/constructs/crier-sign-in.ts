import { Duration, RemovalPolicy, SecretValue, Stack } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnManagedLoginBranding,
  CfnUserPoolUser,
  FeaturePlan,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  ProviderAttribute,
  StandardThreatProtectionMode,
  UserPool,
  UserPoolClientIdentityProvider,
  UserPoolIdentityProviderGoogle,
  UserPoolIdentityProviderOidc,
  type CfnUserPoolClient,
  type UserPoolClient,
  type UserPoolDomain,
  type IUserPoolIdentityProvider,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import type { GoogleFederation, OidcFederation, SignInSettings } from './sign-in-settings.js';

export interface CrierSignInProps {
  /** Where the console is reached: its callback is `<publicBaseUrl>/console/auth/callback`. */
  publicBaseUrl: string;
  settings: SignInSettings;
}

/** Where the console sends people back to, at crier's own address. */
export const consolePaths = { callback: '/console/auth/callback', signedOut: '/console/signed-out' } as const;

/**
 * Who signs staff in to the console in AWS: an Amazon Cognito user pool with its managed login
 * pages, MFA (an authenticator app) required for its own users, no self sign-up: operators add
 * people, and the first operator comes from `-c operatorEmail`. It can also hand sign-in to the
 * council's own identity provider (Entra ID through OpenID Connect, Google Workspace). Cognito
 * only says who someone is: crier's staff records say what they may do, so a person Cognito (or
 * the council's provider) knows but crier does not is refused at the console.
 *
 * The console is a confidential client using the authorization code flow with PKCE; its secret is
 * copied into Secrets Manager (CrierSecrets' `consoleClient`), where the console reads it like any
 * other secret.
 */
export class CrierSignIn extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly domain: UserPoolDomain;
  readonly issuer: string;
  /** The console client's secret, for CrierSecrets to keep (a CloudFormation attribute, never in the template). */
  readonly clientSecret: SecretValue;
  /** The council's identity providers the client offers, besides Cognito's own users. */
  readonly federated: IUserPoolIdentityProvider[] = [];
  readonly firstOperator: CfnUserPoolUser | undefined;

  constructor(scope: Construct, id: string, { publicBaseUrl, settings }: CrierSignInProps) {
    super(scope, id);
    this.userPool = new UserPool(this, 'Staff', {
      selfSignUpEnabled: false,
      // The email is the username, compared without case: Jo.Bloggs@ and jo.bloggs@ are one person.
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      mfa: Mfa.REQUIRED,
      // An authenticator app: SMS codes can be intercepted (SIM swap) and cost money per sign-in.
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(7),
      },
      // Plus: threat protection refuses sign-ins with credentials known to be leaked and blocks
      // risky attempts (unfamiliar device and place, many failures), rather than only counting them.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      userInvitation: {
        emailSubject: 'Your account for the crier console',
        emailBody: `You have an account for the crier console at ${publicBaseUrl}/console/. Your username is {username} and your temporary password is {####}. You will choose a new password and set up an authenticator app when you first sign in. The temporary password works for 7 days.`,
      },
      // People, their MFA devices and their subjects (which crier's staff records are bound to)
      // must outlive a mistaken `cdk destroy` or a replaced stack.
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: settings.domainPrefix },
      // Managed login, Cognito's current sign-in pages (the classic hosted UI is its predecessor).
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    if (settings.oidcFederation) this.federated.push(oidcProvider(this, this.userPool, settings.oidcFederation));
    if (settings.googleFederation) this.federated.push(googleProvider(this, this.userPool, settings.googleFederation));
    this.client = this.userPool.addClient('Console', {
      generateSecret: true,
      // No plain-password flow (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH): people type their
      // password on Cognito's pages alone. Cognito's defaults stay (SRP, refresh), which managed
      // login uses; through the API they need the client secret, which only the console holds.
      authFlows: {},
      supportedIdentityProviders: [
        UserPoolClientIdentityProvider.COGNITO,
        ...this.federated.map((provider) => UserPoolClientIdentityProvider.custom(provider.providerName)),
      ],
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [`${publicBaseUrl}${consolePaths.callback}`],
        logoutUrls: [`${publicBaseUrl}${consolePaths.signedOut}`],
      },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      // The console reads the ID token once, at sign-in, and keeps its own session: tokens that
      // live minutes are enough, and a stolen one is soon useless. 60 minutes is Cognito's
      // shortest refresh token; the console never uses it.
      idTokenValidity: Duration.minutes(5),
      accessTokenValidity: Duration.minutes(5),
      refreshTokenValidity: Duration.minutes(60),
      authSessionValidity: Duration.minutes(3),
    });
    // Managed login shows nothing without a style; Cognito's own is the plain one.
    new CfnManagedLoginBranding(this, 'Branding', {
      userPoolId: this.userPool.userPoolId,
      clientId: this.client.userPoolClientId,
      useCognitoProvidedValues: true,
    });
    // The attribute CloudFormation returns, rather than `userPoolClientSecret`, which reads it
    // through a custom resource: a Lambda function and a role with a managed policy, for one value.
    this.clientSecret = SecretValue.resourceAttribute((this.client.node.defaultChild as CfnUserPoolClient).attrClientSecret);
    this.issuer = `https://cognito-idp.${Stack.of(this).region}.${Stack.of(this).urlSuffix}/${this.userPool.userPoolId}`;
    this.firstOperator = settings.operatorEmail ? this.addFirstOperator(settings.operatorEmail) : undefined;
  }

  /** `https://<prefix>.auth.<region>.amazoncognito.com`: Cognito's managed sign-in pages. */
  get signInUrl(): string {
    return this.domain.baseUrl();
  }

  /**
   * The first operator as a Cognito user: Cognito emails them a temporary password (they choose
   * their own and set up MFA at first sign-in). crier makes them an operator at that first sign-in
   * (FIRST_OPERATOR_EMAIL), and only while it has no staff at all.
   */
  private addFirstOperator(email: string): CfnUserPoolUser {
    return new CfnUserPoolUser(this, 'FirstOperator', {
      userPoolId: this.userPool.userPoolId,
      username: email,
      desiredDeliveryMediums: ['EMAIL'],
      // The invitation reaches this address, so it is verified: crier binds staff by verified email only.
      userAttributes: [
        { name: 'email', value: email },
        { name: 'email_verified', value: 'true' },
      ],
    });
  }
}

/**
 * The council's OpenID provider. The email and whether it is verified are mapped, as crier binds a
 * staff record to a person by verified email at their first sign-in. Entra ID sends no
 * `email_verified`; it says the same with the optional claim `xms_edov` (email domain owner verified),
 * which the council adds to the app registration's ID token.
 */
function oidcProvider(scope: Construct, userPool: UserPool, federation: OidcFederation): UserPoolIdentityProviderOidc {
  const entra = new URL(federation.issuerUrl).hostname === 'login.microsoftonline.com';
  return new UserPoolIdentityProviderOidc(scope, 'Oidc', {
    userPool,
    name: federation.name,
    issuerUrl: federation.issuerUrl,
    clientId: federation.clientId,
    // A dynamic reference: CloudFormation reads the secret at deploy; the template holds its name only.
    clientSecret: SecretValue.secretsManager(federation.clientSecret).unsafeUnwrap(),
    scopes: ['openid', 'email', 'profile'],
    attributeMapping: {
      email: ProviderAttribute.other('email'),
      emailVerified: ProviderAttribute.other(entra ? 'xms_edov' : 'email_verified'),
      fullname: ProviderAttribute.other('name'),
    },
  });
}

/** Google Workspace: the same mapping, from Google's own attribute names. */
function googleProvider(scope: Construct, userPool: UserPool, federation: GoogleFederation): UserPoolIdentityProviderGoogle {
  return new UserPoolIdentityProviderGoogle(scope, 'Google', {
    userPool,
    clientId: federation.clientId,
    clientSecretValue: SecretValue.secretsManager(federation.clientSecret),
    scopes: ['openid', 'email', 'profile'],
    attributeMapping: {
      email: ProviderAttribute.GOOGLE_EMAIL,
      emailVerified: ProviderAttribute.GOOGLE_EMAIL_VERIFIED,
      fullname: ProviderAttribute.GOOGLE_NAME,
    },
  });
}
