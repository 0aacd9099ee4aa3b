export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  production: boolean;
  accountId: string;
  region: string;
  adminAccessKeyId: string | undefined;
  adminSecretAccessKey: string | undefined;
  keyCacheSize: number;
  logLevel: string;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Reads the environment once at startup; every bad value is a startup error that says what to set. */
export function loadConfig(env: NodeJS.ProcessEnv): ServerConfig {
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT must be an integer 0-65535, got '${env.PORT}'.`);
  const accountId = env.STRONGROOM_ACCOUNT_ID ?? '111122223333';
  if (!/^\d{12}$/.test(accountId)) throw new ConfigError(`STRONGROOM_ACCOUNT_ID must be 12 digits, got '${accountId}'.`);
  const region = env.STRONGROOM_REGION ?? 'us-east-1';
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) throw new ConfigError(`STRONGROOM_REGION must look like an AWS region (e.g. us-east-1), got '${region}'.`);
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://.');
  const cache = Number(env.STRONGROOM_KEY_CACHE_SIZE ?? 100_000);
  if (!Number.isInteger(cache) || cache < 1) throw new ConfigError('STRONGROOM_KEY_CACHE_SIZE must be a positive integer.');
  const akid = env.STRONGROOM_ADMIN_ACCESS_KEY_ID?.trim() || undefined;
  const secret = env.STRONGROOM_ADMIN_SECRET_ACCESS_KEY?.trim() || undefined;
  if ((akid === undefined) !== (secret === undefined)) {
    throw new ConfigError('Set both STRONGROOM_ADMIN_ACCESS_KEY_ID and STRONGROOM_ADMIN_SECRET_ACCESS_KEY, or neither (then they are generated and printed once).');
  }
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    dataDir: env.DATA_DIR ?? './data',
    databaseUrl,
    production: env.NODE_ENV === 'production',
    accountId,
    region,
    adminAccessKeyId: akid,
    adminSecretAccessKey: secret,
    keyCacheSize: cache,
    logLevel: env.LOG_LEVEL ?? 'info',
  };
}
