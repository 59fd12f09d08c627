import type { MessageTemplate, TemplateVersion } from './template.js';

/**
 * Primitive reads and conditional writes of saved templates; every rule is in template.ts and the
 * use cases (manage-templates.ts). The store keeps the latest record and each version apart, so
 * the history is a list of versions.
 */
export interface TemplateStore {
  /** Stores a new template (version 1) and its first version; ConflictError when the id is taken. */
  create(template: MessageTemplate): Promise<void>;
  /** The latest version, archived ones too; read strongly, so an edit starts from what is stored. */
  get(id: string): Promise<MessageTemplate | undefined>;
  /** A department's templates (archived ones too), in no particular order. */
  listByDepartment(department: string): Promise<MessageTemplate[]>;
  /**
   * Replaces the template with `next` (its next version) only while the stored one is still
   * `next.version - 1`, then keeps `next` as a version. False when it is not (someone else's edit
   * came first, or there is no such template): nothing is written, so no edit is ever lost.
   */
  replace(next: MessageTemplate): Promise<boolean>;
  /** The versions kept, newest first. */
  versions(id: string): Promise<TemplateVersion[]>;
  /** One version as it was; undefined when it was never kept. */
  version(id: string, version: number): Promise<TemplateVersion | undefined>;
}
