// The forms Microsoft Graph resolves (./principals.ts asks), in as few `$batch` requests as fit:
// `in (…)` queries of at most IN_LIMIT values per collection and property, then guests by home
// e-mail for the user names that missed, and the names closest to one not found. Each form
// settles to one match, or an error listing every match or the closest names.
import { CloudAccessError } from '../../core/errors.js';
import { unique } from '../../core/lists.js';
import {
  chunks,
  describePrincipal,
  odataLiteral,
  principalKey,
  principalValue,
  typeOfForm,
  type AzurePrincipalRef,
  type AzurePrincipalType,
} from '../../core/principal-forms.js';
import type { GraphCalls, GraphQuery, QueryAnswer } from './calls.js';
import { explainGraphFailure } from './graph-errors.js';
import { directoryObject, type DirectoryObject } from './directory-objects.js';
import { ambiguous, notFound } from './principal-errors.js';
import { IN_LIMIT, LOOKED_UP_IN, SELECT, SUGGEST_IN, type Collection } from './principal-queries.js';

/** What a principal resolved to: its object ID, its ARM principalType (undefined: `principal-type`'s), a name for the log. */
export interface ResolvedPrincipal {
  objectId: string;
  type: AzurePrincipalType | undefined;
  name: string;
}

const uniqueNames = (values: string[]) => unique(values, (v) => v.toLowerCase());

/** A name not found is compared with the names that start with its first characters. */
const SUGGEST_PREFIX = 3;

export class GraphResolution {
  private readonly found = new Map<string, DirectoryObject[]>();
  private readonly failed = new Map<string, CloudAccessError>();
  /** Names close to a form nothing matched, by its key. */
  private readonly suggestions = new Map<string, string[]>();

  constructor(
    private readonly graph: GraphCalls,
    private readonly forms: AzurePrincipalRef[],
    private readonly resolved: Map<string, ResolvedPrincipal>,
    private readonly problems: CloudAccessError[],
  ) {}

  async run(): Promise<void> {
    const users = this.valuesOf(['user']);
    const groupNames = this.valuesOf(['group', 'name']);
    const spNames = this.valuesOf(['sp-name', 'mi-name', 'name']);
    const appIds = this.valuesOf(['sp-app']);
    await this.ask([
      ...this.queries('users', 'userPrincipalName', users),
      ...this.queries('groups', 'displayName', groupNames),
      ...this.queries('servicePrincipals', 'displayName', spNames),
      ...this.queries('servicePrincipals', 'appId', appIds),
    ]);
    // A guest's UPN is `alice_contoso.com#EXT#@tenant…`: the address people know is its `mail`.
    const missed = this.forms.filter(
      (f) => f.kind === 'user' && this.matches(f).length === 0 && !this.failedFor(f),
    );
    if (missed.length > 0)
      await this.ask(
        this.queries('users', 'mail', uniqueNames(missed.map((f) => (f as { upn: string }).upn))),
      );
    await this.suggest(this.forms.filter((f) => this.matches(f).length === 0 && !this.failedFor(f)));
    for (const form of this.forms) this.settle(form);
  }

  /**
   * For names nothing matched: the names that start like them (`startswith`, a default query),
   * one query per name and collection, so the error can say "did you mean". Best effort: a
   * failure here leaves the error without suggestions.
   */
  private async suggest(unmatched: AzurePrincipalRef[]): Promise<void> {
    const queries: (GraphQuery & { form: string })[] = [];
    for (const form of unmatched) {
      const value = principalValue(form);
      const start = odataLiteral(value.slice(0, SUGGEST_PREFIX));
      const collections = SUGGEST_IN[form.kind];
      for (const [collection, property] of collections)
        queries.push({
          id: String(queries.length + 1),
          path: `/v1.0/${collection}?$filter=${encodeURIComponent(`startswith(${property},${start})`)}&$select=${property}&$top=50`,
          partial: true,
          form: principalKey(form),
        });
    }
    if (queries.length === 0) return;
    const answers = await this.graph.run(queries).catch(() => new Map<string, QueryAnswer>());
    for (const q of queries) {
      const answer = answers.get(q.id);
      if (!answer?.ok) continue;
      const names = this.suggestions.get(q.form) ?? [];
      for (const item of answer.items)
        for (const v of [item.displayName, item.userPrincipalName]) if (typeof v === 'string') names.push(v);
      this.suggestions.set(q.form, names);
    }
  }

  /** Distinct values of the forms of `kinds` (names case-insensitively, as Graph compares them). */
  private valuesOf(kinds: AzurePrincipalRef['kind'][]): string[] {
    return uniqueNames(this.forms.filter((f) => kinds.includes(f.kind)).map(principalValue));
  }

  private queries(collection: Collection, property: string, values: string[]): GraphQuery[] {
    return chunks(values, IN_LIMIT).map((chunk) => {
      const filter = `${property} in (${chunk.map(odataLiteral).join(',')})`;
      return {
        id: '',
        path: `/v1.0/${collection}?$filter=${encodeURIComponent(filter)}&$select=${SELECT[collection]}&$top=999`,
        collection,
        property,
        values: chunk,
      } as GraphQuery & Asked;
    });
  }

  private async ask(queries: (GraphQuery & Partial<Asked>)[]): Promise<void> {
    if (queries.length === 0) return;
    // IDs unique within a batch (else 400), and short.
    queries.forEach((q, i) => (q.id = String(i + 1)));
    const answers = await this.graph.run(queries);
    for (const q of queries as (GraphQuery & Asked)[]) this.record(q, answers.get(q.id));
  }

  private record(q: GraphQuery & Asked, answer: QueryAnswer | undefined): void {
    const key = (v: string) => `${q.collection}:${q.property}:${v.toLowerCase()}`;
    if (!answer || !answer.ok) {
      for (const v of q.values) {
        const forWhat = this.forms
          .filter((f) => principalValue(f).toLowerCase() === v.toLowerCase())
          .map((f) => `\`${describePrincipal(f)}\``)
          .join(', ');
        if (answer)
          this.failed.set(
            key(v),
            answer.waitPastDeadline
              ? new CloudAccessError(
                  `the lookup of ${forWhat || `\`${v}\``} in Microsoft Graph: ${answer.waitPastDeadline}`,
                )
              : explainGraphFailure(
                  { ...answer.failure, message: answer.failure.serverMessage },
                  this.graph.endpoint,
                  forWhat || `\`${v}\``,
                ),
          );
      }
      return;
    }
    for (const v of q.values) this.found.set(key(v), []);
    for (const item of answer.items) {
      const object = directoryObject(q.collection, item);
      const value = item[q.property];
      // Graph's `eq` and `in` compare case-insensitively; anything else it sent is not an answer to the question.
      if (object && typeof value === 'string') this.found.get(key(value))?.push(object);
    }
  }

  private lookup(collection: Collection, property: string, value: string): DirectoryObject[] {
    return this.found.get(`${collection}:${property}:${value.toLowerCase()}`) ?? [];
  }

  private failedFor(form: AzurePrincipalRef): CloudAccessError | undefined {
    const v = principalValue(form).toLowerCase();
    for (const where of LOOKED_UP_IN[form.kind]) {
      const error = this.failed.get(`${where}:${v}`);
      if (error) return error;
    }
    return undefined;
  }

  private matches(form: AzurePrincipalRef): DirectoryObject[] {
    switch (form.kind) {
      case 'user': {
        const byUpn = this.lookup('users', 'userPrincipalName', form.upn);
        return byUpn.length > 0 ? byUpn : this.lookup('users', 'mail', form.upn);
      }
      case 'group':
        return this.lookup('groups', 'displayName', form.name);
      case 'sp-app':
        return this.lookup('servicePrincipals', 'appId', form.appId);
      case 'sp-name':
        return this.lookup('servicePrincipals', 'displayName', form.name);
      case 'mi-name':
        return this.lookup('servicePrincipals', 'displayName', form.name).filter(
          (o) => o.servicePrincipalType === 'ManagedIdentity',
        );
      case 'name':
        return [
          ...this.lookup('groups', 'displayName', form.name),
          ...this.lookup('servicePrincipals', 'displayName', form.name),
        ];
      default:
        return [];
    }
  }

  private settle(form: AzurePrincipalRef): void {
    const failure = this.failedFor(form);
    if (failure) return void this.problems.push(failure);
    const matches = this.matches(form);
    if (matches.length === 1) {
      const [only] = matches as [DirectoryObject];
      this.resolved.set(principalKey(form), {
        objectId: only.id,
        type: typeOfForm(form) ?? only.type,
        name: only.displayName ?? describePrincipal(form),
      });
    } else if (matches.length > 1) this.problems.push(ambiguous(form, matches));
    else this.problems.push(notFound(form, uniqueNames(this.suggestions.get(principalKey(form)) ?? [])));
  }
}

interface Asked {
  collection: Collection;
  property: string;
  values: string[];
}
