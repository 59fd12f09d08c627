/** Settings with which every provider can be built (fakes' values, not real credentials); tests take away what they are about. */
export const completeProviderSettings = {
  SANDBOX_URL: 'http://127.0.0.1:8000/sandbox',
  TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`,
  TWILIO_AUTH_TOKEN: 'token-from-env',
  TWILIO_SMS_FROM: '+447700900000',
  WHATSAPP_CLOUD_ACCESS_TOKEN: 'EAAG-token-from-env',
  WHATSAPP_CLOUD_PHONE_NUMBER_ID: '106540352242922',
  AWS_SMS_ORIGINATION_IDENTITY: 'pool-2ee1a5c4e5e24d2a9bb0d2f4c8f3a111',
  AWS_SMS_CONFIGURATION_SET: 'crier-receipts',
  AWS_REGION: 'eu-west-2',
};
