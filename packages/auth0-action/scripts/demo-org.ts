// The demo's third part: organization scope. Two members of one Auth0 Organization share
// its one consumer and key; one leaves (organization.member.deleted) and stops managing it.
// `pnpm demo` runs it last (scripts/demo.ts); `tsx scripts/demo-org.ts` runs it alone.
import { fileURLToPath } from "node:url";
import { auth0OrgCloudEvent } from "@keysmith/auth0-stand-in";
import { BUCKET, startDemoWorld } from "./demo-world.js";

export async function runOrgDemo(print: (line: string) => void = console.log): Promise<void> {
  const { fake, tenant, delivery } = await startDemoWorld({
    ZUPLO_KEY_SCOPE: "organization",
  });
  try {
    const acme = { id: "org_9ybsU1dN2dKfDkBi", name: "acme", display_name: "Acme Corp" };
    const ada = { user_id: "auth0|ada", email: "ada@acme.example", email_verified: true };
    const grace = { user_id: "auth0|grace", email: "grace@acme.example", email_verified: true };

    print(
      "\nOrganization scope (ZUPLO_KEY_SCOPE=organization): one consumer per Auth0 Organization,",
    );
    print("its verified members as managers: each of them sees the team's key in the portal.\n");
    const state = () => {
      const consumers = [...fake.state.bucket(BUCKET).consumers.values()];
      const c = consumers.find((x) => x.tags.auth0OrgId === acme.id);
      if (!c) return "no consumer";
      const managers = [...c.managers.values()].map((m) => m.email).join(" + ") || "nobody";
      return `${consumers.length} consumer ${c.name}, ${c.keys.size} key, seen by ${managers}`;
    };
    const step = async (what: string, act: () => Promise<unknown>) => {
      const before = fake.requests.length;
      await act();
      const requests = fake.requests.length - before;
      print(`  ${what.padEnd(42)} ${`${requests} Zuplo request(s)`.padEnd(20)} ${state()}`);
    };

    await step("Ada signs in through Acme (first member)", () =>
      tenant.login(ada, { organization: acme }),
    );
    await step("Grace signs in through Acme", () => tenant.login(grace, { organization: acme }));
    await step("both sign in again", () =>
      Promise.all([ada, grace].map((u) => tenant.login(u, { organization: acme }))),
    );
    await step("Grace leaves Acme (member.deleted event)", () =>
      delivery.deliver(
        auth0OrgCloudEvent({
          type: "organization.member.deleted",
          organization: acme,
          user: grace,
        }),
      ),
    );
    print("\n  The key stays with the organization: Ada still sees it, Grace no longer does.");
  } finally {
    await fake.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await runOrgDemo();
