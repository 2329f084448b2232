// The iryolint extension: starts `iryolint lsp` for plain text, Markdown
// and HTML and lets VS Code's language client do the rest (diagnostics,
// hover, quick fixes, the explain command). Settings: iryolint.path,
// iryolint.args.
'use strict';

const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const settings = vscode.workspace.getConfiguration('iryolint');
  const serverOptions = {
    command: settings.get('path', 'iryolint'),
    args: [...settings.get('args', []), 'lsp'],
  };
  const clientOptions = {
    documentSelector: ['plaintext', 'markdown', 'html'].flatMap((language) => [
      { scheme: 'file', language },
      { scheme: 'untitled', language },
    ]),
  };
  client = new LanguageClient('iryolint', 'iryolint', serverOptions, clientOptions);
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('iryolint') && client) {
        client.restart();
      }
    }),
  );
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
