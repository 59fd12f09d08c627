import { z } from 'zod';
import { keyModeSchema, roleSchema } from '../domain/model.js';
import { newStaffSchema } from '../staff/staff-record.js';
import { staffChangeSchema } from '../staff/staff-rules.js';

/** `POST /v1/staff`: the same schema the use case's rules are written against. */
export const addStaffRequest = newStaffSchema.meta({ id: 'NewStaffMember' });

/** `PATCH /v1/staff/{id}`: any of department, role and mode; the rest stays. */
export const changeStaffRequest = staffChangeSchema.meta({ id: 'StaffChange' });

export const staffIdSchema = z.string().regex(/^[0-9A-Za-z_-]{1,64}$/, 'must be a staff id');

export const staffResponse = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    department: z.string(),
    role: roleSchema,
    mode: keyModeSchema,
    subject: z.string().optional().meta({ description: "The identity provider's subject, once known" }),
    createdAt: z.string(),
    createdBy: z.string().meta({ description: 'The key that added them' }),
    removedAt: z.string().optional().meta({ description: 'When they were removed: they have no access since' }),
  })
  .meta({ id: 'StaffMember' });

export const staffListResponse = z
  .object({ staff: z.array(staffResponse), cursor: z.string().optional().meta({ description: 'Pass as ?cursor= for the next page' }) })
  .meta({ id: 'StaffMembers' });
