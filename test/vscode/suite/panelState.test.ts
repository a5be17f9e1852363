// The panel with thousands of hunks: virtualised (bounded DOM), usable from the keyboard, and it keeps the person's
// decisions when it is hidden and shown again.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ProposedFileChange } from '../../../src/agent/ports';
import { computeHunks } from '../../../src/tools/changes/hunks';
import { driver } from './driver';
import { patchpilot } from './helpers';

function largeChange(hunks: number): ProposedFileChange {
  const before = Array.from({ length: hunks * 10 }, (_, i) => `line ${i} of a long generated file`).join('\n') + '\n';
  const after = before.split('\n').map((line, i) => (i % 10 === 5 ? `${line} (changed)` : line)).join('\n');
  return { path: 'generated/big.txt', before, after, hunks: computeHunks(before, after) };
}

describe('review panel at scale', () => {
  it('renders 2,000 hunks with a bounded DOM, works from the keyboard and survives being hidden', async () => {
    const host = await patchpilot();
    const change = largeChange(2000);
    assert.equal(change.hunks.length, 2000);
    host.reviews.presentFinal('A large generated change', [change], async () => ({ applied: true, message: 'ok' }));
    await driver.ui('webviewWaitFor', { selector: '#review-counts', hasText: '2000 undecided' });
    const rendered = await driver.ui<number>('webviewWaitFor', { selector: '.hunk-row' });
    assert.ok(rendered > 0 && rendered < 150, `only the rows in view exist in the DOM (${rendered} of 2000)`);

    await driver.ui('webviewClick', { selector: '.hunk-row[data-hunk="0"] .hunk-lines' });
    await driver.ui('webviewPress', { selector: '.hunk-row[data-hunk="0"]', key: 'a' });
    await driver.ui('webviewPress', { selector: '.hunk-row[data-hunk="0"]', key: 'End' });
    await driver.ui('webviewWaitFor', { selector: '.hunk-row[data-hunk="1999"]' });
    await driver.ui('webviewPress', { selector: '.hunk-row[data-hunk="1999"]', key: 'r' });
    await driver.ui('webviewFill', { selector: '.hunk-row[data-hunk="1999"] textarea.reason', value: 'not this one' });
    await driver.ui('webviewWaitFor', { selector: '#review-counts', hasText: '1 accepted · 1 rejected · 1998 undecided' });
    await driver.ui('screenshot', { name: 'large-review-keyboard' });

    // Hide the panel behind an editor in the same group, then bring it back: the webview is rebuilt from its state.
    const doc = await vscode.workspace.openTextDocument({ content: 'hiding the panel', language: 'plaintext' });
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Active, preview: false });
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(host.panel.isVisible, false);
    host.panel.show();
    await driver.ui('webviewWaitFor', { selector: '#review-counts', hasText: '1 accepted · 1 rejected · 1998 undecided' });
    const reason = await driver.ui<string[]>('webviewTexts', { selector: '.hunk-row[data-hunk="1999"] .hunk-head button.reject' });
    assert.deepEqual(reason, ['✗ Rejected']);
    host.reviews.dismissFinal();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
