/** One audited request. Never holds plaintext, ciphertext, key material, signatures of secrets or tokens. */
export interface AuditEvent {
  eventId: string;
  time: number;
  requestId: string;
  account: string | null;
  principal: string | null;
  accessKeyId: string | null;
  sourceIp: string | null;
  userAgent: string | null;
  interface: 'aws' | 'rest' | 'console' | 'cli';
  operation: string;
  resources: string[];
  encryptionContext: Record<string, string> | null;
  outcome: 'success' | 'failure';
  errorCode: string | null;
  keyVersion: number | null;
}
