import { pageQuery } from './paging.js';
import { conflict, errors, idParameter, jsonContent, notFound } from './openapi-parts.js';
import { addStaffRequest, changeStaffRequest, staffListResponse, staffResponse } from './staff-schemas.js';

/** The staff routes of the OpenAPI document: operators only, live keys only. */
export const staffPaths = {
  '/v1/staff': {
    post: {
      summary: 'Add a member of staff with a department and a role (operators only, live keys)',
      description:
        'The identity provider says who someone is; this record says what they may do. The email is kept lower-cased and is unique among current staff: one in use is a 409 naming it. Recorded in the audit log.',
      requestBody: jsonContent(addStaffRequest),
      responses: { '201': { description: 'Added', ...jsonContent(staffResponse) }, ...errors, ...conflict },
    },
    get: {
      summary: 'List staff in the order they were added, removed ones included (operators only, live keys)',
      requestParams: { query: pageQuery },
      responses: { '200': { description: 'A page of staff', ...jsonContent(staffListResponse) }, ...errors },
    },
  },
  '/v1/staff/{id}': {
    patch: {
      summary: "Change a member of staff's department, role or live or test in place (operators, live keys)",
      description:
        "They keep their sign-in and have the new access from their next request. An operator of a department (not `*`) changes only their department's people and cannot put anyone in another department or in `*`. Nobody changes themselves, and the last live operator of `*` stays one: both are a 409 saying why. Recorded in the audit log with before and after.",
      requestParams: idParameter('id', 'staff id'),
      requestBody: jsonContent(changeStaffRequest),
      responses: { '200': { description: 'As they now are', ...jsonContent(staffResponse) }, ...errors, ...notFound, ...conflict },
    },
    delete: {
      summary: 'Remove a member of staff: they lose access at once, their record stays for the audit log (operators only, live keys)',
      description: 'Nobody removes themselves, and the last live operator of `*` stays: both are a 409 saying why. An operator of a department removes only their department\'s people.',
      requestParams: idParameter('id', 'staff id'),
      responses: { '204': { description: 'Removed' }, ...errors, ...notFound },
    },
  },
};
