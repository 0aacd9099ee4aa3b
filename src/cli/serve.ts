import pino from 'pino';
import { registerRestApi } from '../api/rest/rest-routes.js';
import { buildApp } from '../server/app.js';
import { startRuntime } from '../server/bootstrap.js';
import { loadConfig } from '../server/config.js';

/** `strongroom serve`: start the server on the configured address; stop cleanly on SIGINT/SIGTERM. */
export async function serve(env: NodeJS.ProcessEnv): Promise<number> {
  const config = loadConfig(env);
  const logger = pino({ level: config.logLevel, base: { service: 'strongroom' }, redact: ['req.headers.authorization', '*.secret', '*.password'] });
  const runtime = await startRuntime(config, env, logger);
  const app = await buildApp({ svc: runtime.svc, logger, ready: runtime.ready, extraRoutes: [registerRestApi(runtime.svc)] });
  const address = await app.listen({ port: config.port, host: config.host });
  if (runtime.generatedAdmin) {
    const a = runtime.generatedAdmin;
    // Printed once, on the first start, to the terminal only: these are not kept anywhere in clear.
    process.stdout.write(
      [
        '',
        '=================== Strongroom administrator credentials (shown once) ===================',
        `  AWS API (SigV4)     AWS_ACCESS_KEY_ID=${a.accessKeyId}`,
        `                      AWS_SECRET_ACCESS_KEY=${a.secretAccessKey}`,
        `  REST universal auth clientId=${a.clientId}`,
        `                      clientSecret=${a.clientSecret}`,
        '  Store them now; set STRONGROOM_ADMIN_ACCESS_KEY_ID/SECRET_ACCESS_KEY to choose your own.',
        '==========================================================================================',
        '',
      ].join('\n'),
    );
  }
  logger.info({ address, storage: runtime.storageLocation, account: config.accountId, region: config.region }, 'strongroom is serving');
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  logger.info('shutting down');
  await app.close();
  await runtime.close();
  return 0;
}
