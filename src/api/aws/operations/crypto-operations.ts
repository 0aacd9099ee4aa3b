import { parseEncryptionContext } from '../../../core/encryption-context.js';
import { KmsError } from '../../../core/errors.js';
import { DATA_KEY_SPECS, ENCRYPTION_ALGORITHMS } from '../../../core/key-spec.js';
import type { AwsInput } from '../aws-input.js';
import type { AwsOperation } from '../aws-operation.js';

const KEY_ID = { required: true, min: 1, max: 2048 };

function context(input: AwsInput, name = 'EncryptionContext') {
  return parseEncryptionContext(input.stringMap(name), name.charAt(0).toLowerCase() + name.slice(1));
}

/** Nitro attestation is out of scope: answer as AWS does for an attestation document it cannot validate. */
function refuseRecipient(input: AwsInput): void {
  if (input.has('Recipient')) throw new KmsError('Validation', 'The attestation document in the Recipient parameter is invalid.');
}

function dryRunModifiers(input: AwsInput): boolean {
  const modifiers = input.stringList('DryRunModifiers');
  for (const m of modifiers ?? []) {
    if (m !== 'IGNORE_CIPHERTEXT') throw new KmsError('Validation', `1 validation error detected: Value '[${modifiers!.join(', ')}]' at 'dryRunModifiers' failed to satisfy constraint: Member must satisfy enum value set: [IGNORE_CIPHERTEXT]`);
  }
  return modifiers?.includes('IGNORE_CIPHERTEXT') ?? false;
}

function b64(buf: Buffer): string {
  return buf.toString('base64');
}

export const cryptoOperations: Record<string, AwsOperation> = {
  async Encrypt(svc, ctx, input) {
    const keyId = input.requiredString('KeyId', KEY_ID);
    const plaintext = input.blob('Plaintext', { required: true, min: 1, max: 4096 })!;
    const encryptionContext = context(input);
    const encryptionAlgorithm = input.enumValue('EncryptionAlgorithm', ENCRYPTION_ALGORITHMS);
    input.stringList('GrantTokens', { max: 10 });
    const dryRun = input.boolean('DryRun');
    input.done();
    try {
      const out = await svc.encrypt(ctx, { keyId, plaintext, encryptionContext, encryptionAlgorithm, dryRun });
      return { CiphertextBlob: b64(out.ciphertextBlob), KeyId: out.keyArn, EncryptionAlgorithm: out.encryptionAlgorithm };
    } finally {
      plaintext.fill(0);
    }
  },

  async Decrypt(svc, ctx, input) {
    const ciphertextBlob = input.blob('CiphertextBlob', { required: true, min: 1, max: 6144 })!;
    const keyId = input.string('KeyId', { min: 1, max: 2048 });
    const encryptionContext = context(input);
    const encryptionAlgorithm = input.enumValue('EncryptionAlgorithm', ENCRYPTION_ALGORITHMS);
    input.stringList('GrantTokens', { max: 10 });
    refuseRecipient(input);
    const dryRun = input.boolean('DryRun');
    const ignoreCiphertext = dryRunModifiers(input);
    input.done();
    const out = await svc.decrypt(ctx, { ciphertextBlob, keyId, encryptionContext, encryptionAlgorithm, dryRun, ignoreCiphertext });
    try {
      return {
        KeyId: out.keyArn, Plaintext: b64(out.plaintext), EncryptionAlgorithm: out.encryptionAlgorithm,
        ...(out.materialId ? { KeyMaterialId: out.materialId } : {}),
      };
    } finally {
      out.plaintext.fill(0);
    }
  },

  async ReEncrypt(svc, ctx, input) {
    const ciphertextBlob = input.blob('CiphertextBlob', { required: true, min: 1, max: 6144 })!;
    const sourceKeyId = input.string('SourceKeyId', { min: 1, max: 2048 });
    const destinationKeyId = input.requiredString('DestinationKeyId', KEY_ID);
    const sourceEncryptionContext = context(input, 'SourceEncryptionContext');
    const destinationEncryptionContext = context(input, 'DestinationEncryptionContext');
    const sourceEncryptionAlgorithm = input.enumValue('SourceEncryptionAlgorithm', ENCRYPTION_ALGORITHMS);
    const destinationEncryptionAlgorithm = input.enumValue('DestinationEncryptionAlgorithm', ENCRYPTION_ALGORITHMS);
    input.stringList('GrantTokens', { max: 10 });
    const dryRun = input.boolean('DryRun');
    const ignoreCiphertext = dryRunModifiers(input);
    input.done();
    const out = await svc.reEncrypt(ctx, {
      ciphertextBlob, sourceKeyId, destinationKeyId, sourceEncryptionContext, destinationEncryptionContext,
      sourceEncryptionAlgorithm, destinationEncryptionAlgorithm, dryRun, ignoreCiphertext,
    });
    return {
      CiphertextBlob: b64(out.destination.ciphertextBlob), SourceKeyId: out.source.keyArn, KeyId: out.destination.keyArn,
      SourceEncryptionAlgorithm: out.source.encryptionAlgorithm, DestinationEncryptionAlgorithm: out.destination.encryptionAlgorithm,
      ...(out.source.materialId ? { SourceKeyMaterialId: out.source.materialId } : {}),
      DestinationKeyMaterialId: out.destination.materialId,
    };
  },

  async GenerateDataKey(svc, ctx, input) {
    return generateDataKey(svc, ctx, input, true);
  },

  async GenerateDataKeyWithoutPlaintext(svc, ctx, input) {
    return generateDataKey(svc, ctx, input, false);
  },

  async GenerateRandom(svc, ctx, input) {
    const numberOfBytes = input.integer('NumberOfBytes', { min: 1, max: 1024 });
    const customKeyStoreId = input.string('CustomKeyStoreId', { min: 1, max: 64 });
    refuseRecipient(input);
    input.done();
    if (customKeyStoreId !== undefined) throw new KmsError('CustomKeyStoreNotFound', '');
    const bytes = await svc.generateRandom(ctx, { numberOfBytes });
    try {
      return { Plaintext: b64(bytes) };
    } finally {
      bytes.fill(0);
    }
  },
};

const generateDataKey = async (...[svc, ctx, input, withPlaintext]: [...Parameters<AwsOperation>, boolean]) => {
  const keyId = input.requiredString('KeyId', KEY_ID);
  const keySpec = input.enumValue('KeySpec', DATA_KEY_SPECS);
  const numberOfBytes = input.integer('NumberOfBytes', { min: 1, max: 1024 });
  const encryptionContext = context(input);
  input.stringList('GrantTokens', { max: 10 });
  if (withPlaintext) refuseRecipient(input);
  const dryRun = input.boolean('DryRun');
  input.done();
  const out = await svc.generateDataKey(ctx, { keyId, keySpec, numberOfBytes, encryptionContext, dryRun }, withPlaintext);
  try {
    return {
      CiphertextBlob: b64(out.ciphertextBlob), KeyId: out.keyArn, KeyMaterialId: out.materialId,
      ...(out.plaintext ? { Plaintext: b64(out.plaintext) } : {}),
    };
  } finally {
    out.plaintext?.fill(0);
  }
};
