import { ConflictError } from '../../shared/domain/errors.js';
import { versionOf, type MessageTemplate, type TemplateVersion } from '../../shared/templates/template.js';
import type { TemplateStore } from '../../shared/templates/template-store.js';

/** The DynamoDB store's behaviour in maps; the same contract suite runs against both. */
export class InMemoryTemplateStore implements TemplateStore {
  readonly templates = new Map<string, MessageTemplate>();
  readonly kept = new Map<string, TemplateVersion[]>();

  async create(template: MessageTemplate): Promise<void> {
    if (this.templates.has(template.id)) throw new ConflictError(`a template with the id ${template.id} already exists`);
    this.templates.set(template.id, structuredClone(template));
    this.kept.set(template.id, [structuredClone(versionOf(template))]);
  }

  async get(id: string): Promise<MessageTemplate | undefined> {
    return structuredClone(this.templates.get(id));
  }

  async listByDepartment(department: string): Promise<MessageTemplate[]> {
    return [...this.templates.values()].filter((template) => template.department === department).map((template) => structuredClone(template));
  }

  async replace(next: MessageTemplate): Promise<boolean> {
    const current = this.templates.get(next.id);
    if (!current || current.version !== next.version - 1) return false;
    this.templates.set(next.id, structuredClone(next));
    this.kept.get(next.id)!.push(structuredClone(versionOf(next)));
    return true;
  }

  async versions(id: string): Promise<TemplateVersion[]> {
    return structuredClone([...(this.kept.get(id) ?? [])].reverse());
  }

  async version(id: string, version: number): Promise<TemplateVersion | undefined> {
    return structuredClone(this.kept.get(id)?.find((kept) => kept.version === version));
  }
}
