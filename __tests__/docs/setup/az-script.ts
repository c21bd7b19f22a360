// examples/setup/azure/cloud-access.sh as it would run with given variables, for the part a test
// checks: its IDENTITIES table and the federated credentials it adds per subject (the templates
// of its `federated_credential` calls, with `${NAME}` expanded as bash does).

export interface AzureIdentity {
  name: string;
  /** The repository variable its workflow reads the client ID from. */
  variable: string;
  subjects: string[];
  /**
   * `write`: assigns and removes; `read`: reads; `sweep`: reads and removes (never assigns);
   * `request`: PIM schedule requests, at the access policy's scope.
   */
  access: 'read' | 'write' | 'sweep' | 'request' | 'review';
  graph: boolean;
  /** The subjects of its federated credentials, each matched exactly by Entra. */
  credentialSubjects: string[];
}

export interface AzureScript {
  identities: AzureIdentity[];
  issuer: string;
  audiences: string[];
}

function expand(template: string, vars: Record<string, string>): string {
  return template.replace(/\$\{(\w+)\}/g, (_, name: string) => {
    if (!(name in vars)) throw new Error(`\${${name}}: no value here`);
    return vars[name]!;
  });
}

export function runAzScript(text: string, vars: Record<string, string>): AzureScript {
  const table = /^IDENTITIES="\n([\s\S]*?)^"$/m.exec(text);
  if (!table) throw new Error('no IDENTITIES="…" table');
  // The table's `${NAME}` are the script's variables, as given or their defaults (`${NAME:-value}`).
  const defaults = Object.fromEntries(
    [...text.matchAll(/^(\w+)="\$\{\1:-([^}$]*)\}"$/gm)].map((m) => [m[1]!, m[2]!]),
  );
  const tableVars = { ...defaults, ...vars };
  const templates = [...text.matchAll(/^\s*federated_credential "\$app" "([^"]+)"$/gm)].map((m) => m[1]!);
  if (templates.length === 0) throw new Error('no federated_credential calls');
  const identities = table[1]!
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [name, variable, subjects, access, graph] = line.split('|').map((field) => field.trim());
      if (!['read', 'write', 'sweep', 'request', 'review'].includes(access!))
        throw new Error(`${name}: access \`${access}\``);
      const list = subjects!.split(',').map((s) => expand(s.trim(), tableVars));
      return {
        name: name!,
        variable: variable!,
        subjects: list,
        access: access as AzureIdentity['access'],
        graph: graph === 'yes',
        credentialSubjects: list.flatMap((subject) => templates.map((t) => expand(t, { ...vars, subject }))),
      } satisfies AzureIdentity;
    });
  const issuer = /^GITHUB_ISSUER=(\S+)$/m.exec(text)?.[1] ?? '';
  const audiences = [...(/"audiences":\[([^\]]*)\]/.exec(text)?.[1] ?? '').matchAll(/"([^"]+)"/g)].map(
    (m) => m[1]!,
  );
  return { identities, issuer, audiences };
}
