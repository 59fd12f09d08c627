import { z } from 'zod';
import { languageSchema } from '../domain/language.js';
import { staffDepartmentSchema } from '../staff/staff-record.js';
import { templateContentSchema, templateFields } from '../templates/template.js';

/** `POST /v1/templates`: the content the rules are written against, and (operators only) a department. */
export const createTemplateRequest = templateContentSchema
  .extend({ department: staffDepartmentSchema.optional().meta({ description: 'Operators only: the department it belongs to (default general)' }) })
  .meta({ id: 'NewTemplate' });

/**
 * `PUT /v1/templates/{id}`: the whole content again, and the version it was read at. The edit is
 * written only if that is still the latest version: otherwise 409, and nothing changes.
 */
export const editTemplateRequest = templateContentSchema
  .extend({ version: z.number().int().min(1).meta({ description: 'The version your change starts from (the `version` you read)' }) })
  .meta({ id: 'TemplateEdit' });

export const templateListQuery = z
  .strictObject({
    department: staffDepartmentSchema.optional().meta({ description: "Operators only: another department's templates (default general)" }),
    folder: z.string().trim().max(40).optional().meta({ description: 'Only this folder; empty for those in no folder' }),
    archived: z.enum(['true', 'false']).optional().transform((value) => value === 'true').meta({ description: 'true: archived ones too' }),
  })
  .meta({ id: 'TemplateListQuery' });

const whatsappTemplateResponse = z.object({ name: z.string(), language: z.string().optional(), parameters: z.array(z.string()) });

const versionFields = {
  id: z.string(),
  department: z.string(),
  name: z.string(),
  folder: z.string().optional(),
  body: z.string(),
  variants: z.partialRecord(languageSchema, z.string()).optional(),
  whatsappTemplate: whatsappTemplateResponse.optional(),
  version: z.number().int(),
  updatedAt: z.string(),
  updatedBy: z.string().meta({ description: 'The key id of the person (or key) who made this version' }),
  updatedByName: z.string(),
  changed: z.array(z.enum(templateFields)).meta({ description: 'What this version changed' }),
  archivedAt: z.string().optional(),
};

export const templateResponse = z
  .object({
    ...versionFields,
    createdAt: z.string(),
    createdBy: z.string(),
    placeholders: z.array(z.string()).meta({ description: 'The ((name)) placeholders, in order of first use: a broadcast from it gives each a value' }),
  })
  .meta({ id: 'Template' });

export const templatesResponse = z.object({ templates: z.array(templateResponse) }).meta({ id: 'Templates' });

export const templateVersionsResponse = z
  .object({ versions: z.array(z.object(versionFields).meta({ id: 'TemplateVersion' })).meta({ description: 'Newest first' }) })
  .meta({ id: 'TemplateVersions' });
