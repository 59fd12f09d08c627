import { Duration, RemovalPolicy, SecretValue, Stack } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnUserPoolClient,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  UserPool,
  UserPoolClient,
  UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

export interface CrierSignInProps {
  /** Where the console is reached: its callback is `<publicBaseUrl>/console/auth/callback`. */
  publicBaseUrl: string;
}

/**
 * Who signs staff in to the console in AWS: an Amazon Cognito user pool with its managed sign-in
 * pages, MFA required, no self sign-up (operators add people). The console is a confidential
 * client using the authorization code flow with PKCE; its secret is copied into Secrets Manager
 * (CrierSecrets' `consoleClient`), where the console reads it like any other secret.
 */
export class CrierSignIn extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly domain: UserPoolDomain;
  readonly issuer: string;
  /** The console client's secret, for CrierSecrets to keep (a CloudFormation attribute, never in the template). */
  readonly clientSecret: SecretValue;

  constructor(scope: Construct, id: string, props: CrierSignInProps) {
    super(scope, id);
    this.userPool = new UserPool(this, 'Staff', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true },
      // Plus: threat protection blocks sign-ins from compromised credentials and risky attempts.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: `crier-${Stack.of(this).stackName.toLowerCase().replace(/[^a-z0-9-]/g, '')}`.slice(0, 63) },
    });
    this.client = this.userPool.addClient('Console', {
      generateSecret: true,
      authFlows: {},
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [`${props.publicBaseUrl}/console/auth/callback`],
        logoutUrls: [`${props.publicBaseUrl}/console/signed-out`],
      },
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.minutes(60),
      accessTokenValidity: Duration.minutes(60),
    });
    // The attribute CloudFormation returns, rather than `userPoolClientSecret`, which reads it
    // through a custom resource: a Lambda function and a role with a managed policy, for one value.
    this.clientSecret = SecretValue.resourceAttribute((this.client.node.defaultChild as CfnUserPoolClient).attrClientSecret);
    this.issuer = `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`;
  }
}
