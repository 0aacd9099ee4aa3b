import { KmsError } from '../core/errors.js';
import type { Project } from '../core/tenancy.js';
import { authorize } from './authorize.js';
import type { RequestContext } from './request-context.js';
import type { ServiceDeps } from './service-deps.js';

export const DEFAULT_PROJECT_SLUG = 'default';

/** The project a new key goes into: the one named (if it is the caller's), else the organization's default. */
export async function resolveProject(deps: ServiceDeps, ctx: RequestContext, projectId: string | undefined): Promise<Project> {
  if (projectId !== undefined) {
    const p = await deps.store.projects.get(projectId);
    if (!p || p.orgId !== ctx.principal.orgId) throw new KmsError('NotFound', `Project with ID "${projectId}" not found`);
    return p;
  }
  const p = await deps.store.projects.getBySlug(ctx.principal.orgId, DEFAULT_PROJECT_SLUG);
  if (!p) throw new KmsError('Internal', 'The organization has no default project.');
  return p;
}

export async function getProject(deps: ServiceDeps, ctx: RequestContext, projectId: string): Promise<Project> {
  const project = await resolveProject(deps, ctx, projectId);
  authorize(ctx, 'kms:DescribeProject', `project/${project.id}`);
  return project;
}

export async function listProjects(deps: ServiceDeps, ctx: RequestContext): Promise<Project[]> {
  authorize(ctx, 'kms:ListProjects', `org/${ctx.principal.orgId}`);
  return deps.store.projects.list(ctx.principal.orgId);
}

export async function createProject(deps: ServiceDeps, ctx: RequestContext, input: { name: string; slug?: string | undefined; description?: string | undefined }): Promise<Project> {
  authorize(ctx, 'kms:CreateProject', `org/${ctx.principal.orgId}`);
  const slug = input.slug ?? slugify(input.name);
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slug) || slug.length > 64) {
    throw new KmsError('Validation', 'Project slug must be 1-64 lowercase letters, digits and single hyphens.');
  }
  const project: Project = { id: deps.newId(), orgId: ctx.principal.orgId, name: input.name, slug, description: input.description ?? '', createdAt: deps.clock() };
  try {
    await deps.store.projects.insert(project);
  } catch (e) {
    if (e instanceof KmsError && e.code === 'AlreadyExists') throw new KmsError('AlreadyExists', `A project with the slug "${slug}" already exists.`);
    throw e;
  }
  ctx.audit.resources.push(`project/${project.id}`);
  return project;
}

export function slugify(name: string): string {
  return name.toLowerCase().trim().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64) || 'project';
}
