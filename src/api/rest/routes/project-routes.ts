import { KmsError } from '../../../core/errors.js';
import { defineRoute, type RestRoute } from '../rest-route.js';
import { PLAIN_PATTERN, projectIdProperty, projectSchema, TEXT_PATTERN } from '../rest-schemas.js';
import { projectView } from '../rest-views.js';

const projectResponse = { type: 'object', required: ['project'], properties: { project: projectSchema } };

/** Projects group keys inside the caller's organization (Infisical's Project > Key Management). */
export const projectRoutes: RestRoute[] = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/projects',
    operation: 'ListProjects',
    tag: 'Projects',
    summary: "List the organization's projects",
    auth: 'bearer',
    schema: { response: { type: 'object', required: ['projects'], properties: { projects: { type: 'array', items: projectSchema } } } },
    async handler({ svc, context }) {
      return { projects: (await svc.listProjects(context())).map(projectView) };
    },
  }),

  defineRoute<{ name: string; slug?: string; description?: string }>({
    method: 'POST',
    url: '/api/v1/projects',
    operation: 'CreateProject',
    tag: 'Projects',
    summary: 'Create a project',
    description: 'The slug defaults to one derived from the name and must be unique within the organization.',
    auth: 'bearer',
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 64, pattern: PLAIN_PATTERN },
          slug: { type: 'string', minLength: 1, maxLength: 64, pattern: PLAIN_PATTERN, description: 'Lowercase letters, digits and single hyphens.' },
          description: { type: 'string', maxLength: 500, pattern: TEXT_PATTERN },
        },
      },
      response: projectResponse,
    },
    async handler({ svc, body, context }) {
      const name = body.name.trim();
      if (!name) throw new KmsError('Validation', 'Body field "name" must not be empty.');
      const project = await svc.createProject(context(), { name, slug: body.slug?.trim(), description: body.description?.trim() });
      return { project: projectView(project) };
    },
  }),

  defineRoute<Record<string, never>, Record<string, never>, { projectId: string }>({
    method: 'GET',
    url: '/api/v1/projects/:projectId',
    operation: 'GetProject',
    tag: 'Projects',
    summary: 'Get a project',
    auth: 'bearer',
    schema: {
      params: { type: 'object', required: ['projectId'], properties: { projectId: projectIdProperty } },
      response: projectResponse,
    },
    async handler({ svc, params, context }) {
      return { project: projectView(await svc.getProject(context(), params.projectId)) };
    },
  }),
];
