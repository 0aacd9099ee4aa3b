import type { FastifyInstance } from 'fastify';
import type { KmsService } from '../../service/kms-service.js';
import type { HostTools } from '../../server/host-tools.js';

/** The Infisical-compatible REST API under /api/v1. */
export function registerRestApi(_svc: KmsService) {
  return async (_app: FastifyInstance, _tools: HostTools): Promise<void> => {};
}
