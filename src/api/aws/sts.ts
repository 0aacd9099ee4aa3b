import type { KmsError } from '../../core/errors.js';
import type { Principal } from '../../service/request-context.js';

/** STS GetCallerIdentity over the AWS query protocol, so `aws sts get-caller-identity` and Terraform work. */
export function parseStsAction(body: Buffer): string | undefined {
  return new URLSearchParams(body.toString('utf8')).get('Action') ?? undefined;
}

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

export function getCallerIdentityXml(principal: Principal, requestId: string): string {
  const userId = `AIDA${principal.identityId.replaceAll('-', '').slice(0, 17).toUpperCase()}`;
  return `<GetCallerIdentityResponse xmlns="${NS}"><GetCallerIdentityResult><Arn>${xml(principal.arn)}</Arn><UserId>${userId}</UserId><Account>${principal.account}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`;
}

const STS_CODES: Partial<Record<KmsError['code'], string>> = {
  MissingAuthentication: 'MissingAuthenticationToken',
  IncompleteSignature: 'IncompleteSignature',
  UnrecognizedClient: 'InvalidClientTokenId',
  SignatureDoesNotMatch: 'SignatureDoesNotMatch',
  AccessDenied: 'AccessDenied',
  Validation: 'ValidationError',
};

export function stsErrorXml(error: KmsError, requestId: string): { status: number; body: string } {
  const code = STS_CODES[error.code] ?? (error.code === 'UnknownOperation' ? 'InvalidAction' : 'InternalFailure');
  const status = code === 'InternalFailure' ? 500 : code === 'InvalidAction' || code === 'ValidationError' ? 400 : 403;
  const type = status >= 500 ? 'Receiver' : 'Sender';
  return {
    status,
    body: `<ErrorResponse xmlns="${NS}"><Error><Type>${type}</Type><Code>${code}</Code><Message>${xml(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  };
}

function xml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}
