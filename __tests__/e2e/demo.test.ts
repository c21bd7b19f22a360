// `npm run demo` as a first-time user pipes it (to a file, to `less`, in CI): plain text, the job
// summary rendered as text, one step's `results`, and a word that real writes take longer.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';

const ROOT = join(import.meta.dirname, '..', '..');

describe('npm run demo, with stdout piped', () => {
  it('prints no ANSI codes, the job summary as text and the results output; reconciles the example manifest on both clouds, creates permission sets and updates the policy of one (its plan saying it widens access), sweeps a lost post step, grants a request, an eligibility and a time-bound group membership, reports on Azure, shows who last used a grant (one used through the portal, one none since), and applies an access review at its due date', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.NO_COLOR;
    delete env.FORCE_COLOR;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      // Node loads tsx's loader itself, as the other tests run the scripts npm runs with tsx: tsx's
      // command would start one more Node process only to pass it that loader.
      ['--import', 'tsx', join(ROOT, 'scripts', 'emulator', 'demo.ts')],
      // 420 s: about a minute alone, two beside the other suites on a busy 2-core machine, and past
      // four beside two whole test runs at once (a load of 20).
      { cwd: ROOT, env, maxBuffer: 16 * 1024 * 1024, timeout: 420_000 },
    );
    expect(stdout).not.toContain('\x1b[');
    // Every Azure step asks the emulator's Graph, never graph.microsoft.com: no notice says it failed.
    expect(stdout).not.toMatch(/Microsoft Graph did not name them|https:\/\/graph\.microsoft\.com/);
    expect(stdout.split('\n').filter((line) => line.length > 1_000)).toEqual([]);
    expect(stdout).toMatch(/Real writes take longer/);
    expect(stdout).toContain('job summary (rendered as text):');
    expect(stdout).toMatch(/Principal \| Target \| Role \|/);
    expect(stdout).not.toMatch(/<\/?(table|tr|td|th|h\d|p)\b/);
    expect(stdout).toContain('outputs.results:');
    expect(stdout).toMatch(/"status": "SUCCEEDED"/);
    // Access as code with examples/access/manifest.yml: plan, apply, then a drift check that finds none.
    expect(stdout).toMatch(/▶ pull request: the plan \(dry-run: true\).*\(exit 0,/);
    expect(stdout).toMatch(/▶ push to main: the apply {2}\(exit 0,[^]*?plan=\{"create":8,"delete":0,/);
    expect(stdout).toMatch(
      /▶ nightly drift check \(dry-run: true\): the cloud matches the manifest {2}\(exit 0,[^]*?plan=\{"create":0,"delete":0,"unchanged":8,[^\n]*drift=false/,
    );
    // Permission-set content as code: examples/access/permission-sets.yml creates its two sets, then
    // an edit of Deployer's inline policy is applied as an update with its line diff, provisioned to
    // the accounts the set reaches.
    expect(stdout).toMatch(
      /▶ push to main: the apply creates both sets[^\n]*\(exit 0,[^]*?\+ create permission set ReadOnly[^]*?\+ create permission set Deployer[^]*?"permissionSets":\{"create":2,"update":0,"delete":0,"provision":0\}/,
    );
    expect(stdout).toMatch(
      /▶ push to main: the apply updates Deployer's inline policy[^\n]*\(exit 0,[^]*?~ update permission set Deployer[^]*?\+ +"cloudformation:DeleteChangeSet",[^]*?~ provision permission set Deployer to 2 account\(s\)[^\n]*: 111111111111, 222222222222[^]*?"permissionSets":\{"create":0,"update":1,"delete":0,"provision":1\}/,
    );
    // The plan proves what the edit allows before any write (policy-checks, the emulator's Access
    // Analyzer): one `widens access` line, in Deployer's update, quoting the statement.
    expect(stdout.split('\n').filter((line) => /✗ [^\n]*widens access/.test(line))).toHaveLength(1);
    expect(stdout).toMatch(
      /▶ push to main: the apply updates Deployer's inline policy[^]*?what it allows:\n {8}✓ inline-policy: validate\n {8}✗ inline-policy: widens access: statement 0 \(Sid DeployStacks\) allows [^\n]*cloudformation:DeleteChangeSet/,
    );
    // Revoked means revoked: the deploy job's post step fences the opted-in set where carol still
    // holds it, keeps the other writer's statement and takes the earlier run's expired fence out.
    expect(stdout).toMatch(
      /every live session of the set in 111111111111 ended \(issued before [\d:]+Z\): whoever still holds it signs in again/,
    );
    expect(stdout).toMatch(
      // The fences' Sids end in random hex: the other account's may come first.
      /AdministratorAccess's inline policy now:\n {4}NoBilling: another writer's statement, kept as it was(?:\n {4}CloudAccessFence[^\n]* in 222222222222 [^\n]*)?\n {4}CloudAccessFence\d{12}[0-9a-f]{8}: Deny \* to every session of the set in 111111111111 issued before /,
    );
    expect(stdout).toMatch(/an earlier run's fence, expired/);
    expect(stdout).toMatch(/audit log \(emulator's S3[^]*?post session-fence/);
    // Who last used a grant: the portal's sign-in, recorded as AWS records GetRoleCredentials, is
    // the use of alice's grant in 111111111111; her older grant in 222222222222 has none since the
    // history's start.
    expect(stdout).toMatch(
      /eventSource: "sso\.amazonaws\.com"\n +eventName: "GetRoleCredentials"\n +eventType: "AwsServiceEvent"\n +userIdentity: \{"type":"IdentityCenterUser"[^\n]*"onBehalfOf":\{"userId":"[^"]+"[^\n]*\n +serviceEventDetails: \{"role_name":"ReadOnlyAccess","account_id":"111111111111"\}\n +requestParameters: null/,
    );
    expect(stdout).toMatch(
      /▶ report with last-used: true[^\n]*\(exit 0,[^]*?user alice [^\n]*→ account-111111111111 [^\n]*last used: \d{4}-\d\d-\d\dT[\d:]+Z\)[^]*?user alice [^\n]*→ account-222222222222 [^\n]*last used: none since \d{4}-[^]*?evidence-complete=true/,
    );
    // A job whose post step never ran: its grant swept.
    expect(stdout).toMatch(/▶ scheduled sweep: revoke it {2}\(exit 0,/);
    expect(stdout).toContain('emulator: bob now holds 0 assignment(s)');
    // The deploy jobs' audit logs, read back from the emulator's S3 and from Azurite.
    expect(stdout).toMatch(/audit log \(emulator's S3[^]*?: main plan\n[^]*?post post-revoke Deployers/);
    expect(stdout).toMatch(/audit log \(Azurite[^]*?: main grant [^]*?post post-revoke /);
    // An approved access request, granted by the request step.
    expect(stdout).toMatch(
      /▶ request step: [^\n]*\(exit 0,[^]*?Approved by: carol[^]*?✓ assign user alice [^\n]*→ 111111111111 \/ ReadOnlyAccess: SUCCEEDED \(created/,
    );
    // A PIM eligibility, then the example manifest's azure section applied and reported on.
    expect(stdout).toMatch(
      /▶ main step: make bob@contoso.com eligible [^\n]*\(exit 0,[^]*?Reader: SUCCEEDED \(created/,
    );
    expect(stdout).toContain('1 PIM eligibility schedule(s) for bob@contoso.com');
    // A time-bound membership of a group through PIM for groups, ended early by the post step.
    expect(stdout).toMatch(
      /▶ main step: make carol@contoso\.com a member of Platform for 2 hours[^\n]*\(exit 0,[^]*?group: Platform \(group:Platform\) \/ member: SUCCEEDED \(created[^]*?emulator: 1 active membership\(s\) of Platform[^]*?▶ post step: end the membership early \(adminRemove\) {2}\(exit 0,[^]*?SUCCEEDED \(deleted[^]*?emulator: 0 active membership\(s\) of Platform/,
    );
    expect(stdout).toMatch(
      /▶ push to main: the apply \(groups by name[^\n]*\(exit 0,[^]*?plan=\{"create":2,"delete":0,/,
    );
    expect(stdout).toMatch(
      /▶ quarterly review \(operation: report\): every role assignment[^\n]*\(exit 0,[^]*?report: \d+ row\(s\): 2 manifest/,
    );
    // An access review: opened as an issue, bob's row decided `/revoke`, revoked and closed when due.
    expect(stdout).toMatch(
      /▶ review step: the campaign opened as an issue[^\n]*\(exit 0,[^]*?review: opened #\d+/,
    );
    expect(stdout).toMatch(
      /▶ review step at the due date[^\n]*\(exit 0,[^]*?✓ revoke user bob [^\n]*SUCCEEDED[^]*?review: closed #\d+/,
    );
    expect(stdout).toMatch(
      /emulator: #\d+ is closed; its closing comment:\n {4}### Access review `\d{4}-Q[1-4]` closed/,
    );
  }, 450_000);
});
