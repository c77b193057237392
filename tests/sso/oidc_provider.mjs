// A real OpenID Connect provider for the SSO tests: node `oidc-provider` (installed by
// scripts/ensure_sso_servers.sh), with its development login and consent pages, one static confidential
// client and the accounts given in OIDC_ACCOUNTS (JSON: account id → claims). It listens on a free
// loopback port and prints {"issuer": …} once it accepts connections.
import http from "node:http";
import { pathToFileURL } from "node:url";

const { default: Provider } = await import(pathToFileURL(process.env.OIDC_PROVIDER_MODULE).href);
const accounts = JSON.parse(process.env.OIDC_ACCOUNTS);

const server = http.createServer();
server.listen(0, "127.0.0.1", () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: process.env.OIDC_CLIENT_ID,
        client_secret: process.env.OIDC_CLIENT_SECRET,
        redirect_uris: JSON.parse(process.env.OIDC_REDIRECT_URIS),
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    claims: {
      openid: ["sub"],
      email: ["email", "email_verified"],
      profile: ["name", "given_name", "family_name", "zoneinfo", "department", "manager_email"],
    },
    async findAccount(ctx, id) {
      if (!accounts[id]) return undefined;
      return { accountId: id, async claims() { return { sub: id, ...accounts[id] }; } };
    },
    // Cookies ignore ports: names of its own keep it apart from the application's on the same host.
    cookies: {
      keys: ["sso-test-cookie-key"],
      names: { session: "idp_session", interaction: "idp_interaction", resume: "idp_resume" },
    },
    features: { devInteractions: { enabled: true } },
  });
  provider.proxy = false;
  server.on("request", provider.callback());
  console.log(JSON.stringify({ issuer }));
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
