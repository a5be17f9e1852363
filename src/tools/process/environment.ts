// The environment a command starts with: the person's own, minus anything that looks like a credential. A test that
// prints process.env, or a model that runs `env`, must not be able to send a token to the model. The agent's own
// API keys are dropped always; other credential-looking variables are dropped unless the person passes them through
// by name (--pass-env NAME, patchpilot.commands.passEnv). The dropped values are returned so they can be masked
// wherever they still show up (a config file, a log).

/** The agent's own keys: never given to a command, whatever is passed through. */
export const AGENT_KEY_VARIABLES: readonly string[] = ['OPENAI_API_KEY', 'PATCHPILOT_API_KEY', 'AZURE_OPENAI_API_KEY', 'OPENROUTER_API_KEY'];

// Names people give credentials: *_TOKEN, *_SECRET, *_PASSWORD, *_API_KEY, *_ACCESS_KEY, *_PRIVATE_KEY, *_CREDENTIALS,
// and well-known ones that do not follow the pattern. Matched on whole name parts, so TOKENIZER_PATH stays.
const CREDENTIAL_NAME = /(?:^|_)(?:TOKEN|TOKENS|SECRET|SECRETS|PASSWORD|PASSWD|PASS|PWD_?KEY|API_?KEY|APIKEY|ACCESS_?KEY|PRIVATE_?KEY|SECRET_?KEY|CLIENT_?SECRET|CREDENTIALS?|AUTH|AUTH_?TOKEN|SESSION_?KEY|SIGNING_?KEY|WEBHOOK|COOKIE|DSN|CONNECTION_?STRING)(?:_|$)/i;
const WELL_KNOWN_CREDENTIALS = new Set([
  'AWS_SESSION_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'GH_TOKEN', 'GITHUB_TOKEN', 'GITLAB_TOKEN', 'NPM_TOKEN',
  'NODE_AUTH_TOKEN', 'DATABASE_URL', 'REDIS_URL', 'MONGODB_URI', 'SENTRY_DSN', 'SLACK_WEBHOOK_URL', 'STRIPE_KEY',
  'GOOGLE_APPLICATION_CREDENTIALS', 'AZURE_CLIENT_SECRET', 'HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN', 'ANTHROPIC_API_KEY',
  'GEMINI_API_KEY', 'GOOGLE_API_KEY', 'MISTRAL_API_KEY', 'GROQ_API_KEY', 'DEEPSEEK_API_KEY', 'CODECOV_TOKEN',
  'SSH_AUTH_SOCK', 'GPG_AGENT_INFO', 'VSCODE_GIT_IPC_HANDLE', 'VSCODE_GIT_ASKPASS_MAIN', 'GIT_ASKPASS', 'SSH_ASKPASS',
]);
/** `*_KEY` holding a long opaque value (an API key), not `*_KEY=us` or a path. */
const KEY_NAME = /(?:^|_)KEY$/i;
const OPAQUE_VALUE = /^[A-Za-z0-9_\-+=.]{16,}$/;
/** Looks like a URL with a password in it: postgres://user:pw@host. */
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i;

export interface ScrubbedEnvironment {
  env: Record<string, string>;
  /** Names of the variables left out, for the journal (never their values). */
  dropped: string[];
  /**
   * Values of every credential-looking variable, dropped or passed through, for masking (a passed-through token
   * still must not reach the model); short values are left out (they would mask ordinary words).
   */
  secretValues: { name: string; value: string }[];
}

export const MIN_MASKED_SECRET_LENGTH = 8;

export function looksLikeCredential(name: string, value: string): boolean {
  return WELL_KNOWN_CREDENTIALS.has(name.toUpperCase()) || CREDENTIAL_NAME.test(name) || URL_WITH_PASSWORD.test(value) ||
    (KEY_NAME.test(name) && OPAQUE_VALUE.test(value));
}

export function scrubEnvironment(source: NodeJS.ProcessEnv, passThrough: readonly string[] = []): ScrubbedEnvironment {
  const allowed = new Set(passThrough.map((name) => name.trim()).filter((name) => name !== '' && !AGENT_KEY_VARIABLES.includes(name)));
  const env: Record<string, string> = {};
  const dropped: string[] = [];
  const secretValues: { name: string; value: string }[] = [];
  for (const [name, value] of Object.entries(source)) {
    if (value === undefined) continue;
    const agentKey = AGENT_KEY_VARIABLES.includes(name);
    const credential = agentKey || looksLikeCredential(name, value);
    if (credential && value.length >= MIN_MASKED_SECRET_LENGTH) secretValues.push({ name, value });
    if (agentKey || (credential && !allowed.has(name))) {
      dropped.push(name);
      continue;
    }
    env[name] = value;
  }
  return { env, dropped: dropped.sort(), secretValues };
}
