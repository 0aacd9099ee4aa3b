import { startServer, kmsClient } from '../../helpers/server.js';
import * as K from '@aws-sdk/client-kms';
const s = await startServer();
const c = kmsClient(s);
try {
  const k = await c.send(new K.CreateKeyCommand({ Description: 'x', Tags: [{TagKey:'a',TagValue:'b'}] }));
  console.log(JSON.stringify(k.KeyMetadata));
  const arn = k.KeyMetadata!.Arn!;
  const e = await c.send(new K.EncryptCommand({ KeyId: k.KeyMetadata!.KeyId, Plaintext: Buffer.from('hi'), EncryptionContext: {a:'1'} }));
  console.log(e.KeyId, e.EncryptionAlgorithm, e.CiphertextBlob!.length);
  try { await c.send(new K.DecryptCommand({ CiphertextBlob: e.CiphertextBlob })); } catch (err: any) { console.log('ERR', err.name, JSON.stringify(err.message), err.$metadata, Object.keys(err), err.$response?.statusCode); }
  try { await c.send(new K.DescribeKeyCommand({ KeyId: 'fake-key-id' })); } catch (err: any) { console.log('ERR', err.name, JSON.stringify(err.message), err.$metadata.httpStatusCode); }
  const d = await c.send(new K.DecryptCommand({ CiphertextBlob: e.CiphertextBlob, EncryptionContext: {a:'1'} }));
  console.log(d);
  const r = await c.send(new K.ListKeysCommand({}));
  console.log(r);
} finally { await s.dispose(); }
