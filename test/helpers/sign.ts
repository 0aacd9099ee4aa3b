import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

export interface Creds {
  accessKeyId: string;
  secretAccessKey: string;
}

/** Signs a raw AWS JSON request the way the AWS SDK does, for tests that need to craft the bytes themselves. */
export async function signedKmsRequest(
  creds: Creds,
  target: string,
  body: string,
  options: { region?: string; service?: string; host?: string; date?: Date; contentType?: string } = {},
): Promise<{ headers: Record<string, string>; body: string }> {
  const host = options.host ?? 'localhost';
  const headers: Record<string, string> = { host, 'content-type': options.contentType ?? 'application/x-amz-json-1.1' };
  if (target) headers['x-amz-target'] = target;
  const request = new HttpRequest({ method: 'POST', protocol: 'http:', hostname: host, path: '/', headers, body });
  const signer = new SignatureV4({ credentials: creds, region: options.region ?? 'us-east-1', service: options.service ?? 'kms', sha256: Sha256 });
  const signed = await signer.sign(request, options.date ? { signingDate: options.date } : {});
  return { headers: signed.headers as Record<string, string>, body };
}
