// Child process for the cold-start benchmark, plain CommonJS so no loader adds to what it
// measures: require() a post-login action, then run one first login (a new user) against the
// key service at <baseUrl>. Prints {"requireMs", "loginMs", "cpuMs"} as its last line.
// Usage: node first-login.cjs <action.cjs> <baseUrl> <apiKey> <account> <bucket> <userNumber>
const [file, baseUrl, apiKey, account, bucket, n] = process.argv.slice(2);

const c0 = process.cpuUsage();
const t0 = performance.now();
const action = require(file);
const t1 = performance.now();

const stored = [];
const event = {
  user: {
    user_id: `auth0|cold-start-${n}`,
    email: `cold${n}@example.com`,
    email_verified: true,
    name: `Cold Start ${n}`,
    app_metadata: {},
    user_metadata: {},
  },
  secrets: {
    ZUPLO_API_KEY: apiKey,
    API_KEY: apiKey,
    ZUPLO_ACCOUNT_NAME: account,
    ZUPLO_BUCKET_NAME: bucket,
    ZUPLO_API_URL: baseUrl,
  },
  client: { client_id: "cold-start-client" },
  transaction: { protocol: "oidc-basic-profile" },
  stats: { logins_count: 1 },
};
const api = { user: { setAppMetadata: (key, value) => stored.push([key, value]) } };

action.onExecutePostLogin(event, api).then(() => {
  const t2 = performance.now();
  const used = process.cpuUsage(c0);
  // The action records the consumer (and, since the lifecycle routine, its manager state).
  const entry = stored.find(([key]) => key === "api_consumer");
  if (!entry || typeof entry[1] !== "string") {
    throw new Error(`the login stored no consumer: ${JSON.stringify(stored)}`);
  }
  process.stdout.write(
    `${JSON.stringify({ requireMs: t1 - t0, loginMs: t2 - t1, cpuMs: (used.user + used.system) / 1000 })}\n`,
  );
});
