import type { Authenticator } from './authentication.js';
import type { AuditLog } from './audit-log.js';
import * as aliases from './operations/aliases.js';
import { createKey } from './operations/create-key.js';
import * as dataKeys from './operations/data-keys.js';
import * as describe from './operations/describe-key.js';
import * as crypto from './operations/encrypt-decrypt.js';
import * as state from './operations/key-state.js';
import * as projectKeys from './operations/project-keys.js';
import * as tags from './operations/tags.js';
import * as projects from './projects.js';
import type { RequestContext } from './request-context.js';
import type { ServiceDeps } from './service-deps.js';

type Bound<F> = F extends (deps: ServiceDeps, ctx: RequestContext, ...rest: infer A) => infer R ? (ctx: RequestContext, ...rest: A) => R : never;

function bind<F extends (deps: ServiceDeps, ctx: RequestContext, ...rest: never[]) => unknown>(deps: ServiceDeps, f: F): Bound<F> {
  return ((ctx: RequestContext, ...rest: never[]) => f(deps, ctx, ...rest)) as Bound<F>;
}

/** The one service layer every interface (AWS API, REST API, console, CLI) calls. */
export function createKmsService(deps: ServiceDeps, auth: Authenticator, audit: AuditLog) {
  return {
    deps,
    auth,
    audit,
    createKey: bind(deps, createKey),
    describeKey: bind(deps, describe.describeKey),
    listKeys: bind(deps, describe.listKeys),
    encrypt: bind(deps, crypto.encrypt),
    decrypt: bind(deps, crypto.decrypt),
    reEncrypt: bind(deps, crypto.reEncrypt),
    generateDataKey: bind(deps, dataKeys.generateDataKey),
    generateRandom: bind(deps, dataKeys.generateRandom),
    createAlias: bind(deps, aliases.createAlias),
    updateAlias: bind(deps, aliases.updateAlias),
    deleteAlias: bind(deps, aliases.deleteAlias),
    listAliases: bind(deps, aliases.listAliases),
    tagResource: bind(deps, tags.tagResource),
    untagResource: bind(deps, tags.untagResource),
    listResourceTags: bind(deps, tags.listResourceTags),
    enableKey: bind(deps, state.enableKey),
    disableKey: bind(deps, state.disableKey),
    updateKeyDescription: bind(deps, state.updateKeyDescription),
    renameKey: bind(deps, state.renameKey),
    scheduleKeyDeletion: bind(deps, state.scheduleKeyDeletion),
    cancelKeyDeletion: bind(deps, state.cancelKeyDeletion),
    listProjects: bind(deps, projects.listProjects),
    createProject: bind(deps, projects.createProject),
    getProjectKey: bind(deps, projectKeys.getProjectKey),
    getProjectKeyByName: bind(deps, projectKeys.getProjectKeyByName),
    listProjectKeys: bind(deps, projectKeys.listProjectKeys),
    deleteProjectKey: bind(deps, projectKeys.deleteProjectKey),
    encryptWithProjectKey: bind(deps, projectKeys.encryptWithProjectKey),
    decryptWithProjectKey: bind(deps, projectKeys.decryptWithProjectKey),
    getProject: bind(deps, projects.getProject),
  };
}

export type KmsService = ReturnType<typeof createKmsService>;
