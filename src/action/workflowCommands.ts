// GitHub Actions' side of the action, as plain functions: inputs from INPUT_* variables, outputs and the job summary
// appended to the files GitHub names, workflow commands (annotations, masks) escaped the way the runner reads them.
import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';

export class ActionInputError extends Error {}

/** An input as GitHub passes it: INPUT_ + the name upper-cased, spaces as underscores, hyphens kept (INPUT_BASE-URL). */
export function getInput(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

/** YAML 1.2's core booleans, as @actions/core reads them; anything else is a mistake worth saying. */
export function getBooleanInput(name: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const value = getInput(name, env);
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['', 'false', 'False', 'FALSE'].includes(value)) return false;
  throw new ActionInputError(`Input "${name}" must be true or false, not "${value}".`);
}

/** Data of a workflow command (the text after `::`). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property of a workflow command (file=…, title=…): also `:` and `,`, which would end it. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function errorAnnotation(message: string, properties: { file?: string; line?: number; title?: string } = {}): string {
  const props = Object.entries(properties)
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`);
  return `::error${props.length ? ` ${props.join(',')}` : ''}::${escapeData(message)}\n`;
}

export function maskCommand(secret: string): string {
  return `::add-mask::${escapeData(secret)}\n`;
}

/**
 * One output in GITHUB_OUTPUT's multi-line syntax: `name<<DELIMITER`, the value, the delimiter. The delimiter is
 * random, and checked against the value, so no value can end it early and smuggle in another output.
 */
export function outputRecord(name: string, value: string): string {
  let delimiter = `ghadelimiter_${randomBytes(12).toString('hex')}`;
  while (value.includes(delimiter) || name.includes(delimiter)) delimiter = `ghadelimiter_${randomBytes(12).toString('hex')}`;
  return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
}

export function setOutput(name: string, value: string, env: NodeJS.ProcessEnv = process.env): void {
  const file = env.GITHUB_OUTPUT;
  if (file) appendFileSync(file, outputRecord(name, value));
  else process.stdout.write(`${name}=${value}\n`); // outside Actions (a local run): at least shown
}

export function appendSummary(markdown: string, env: NodeJS.ProcessEnv = process.env): void {
  const file = env.GITHUB_STEP_SUMMARY;
  if (file) appendFileSync(file, markdown.endsWith('\n') ? markdown : `${markdown}\n`);
}
