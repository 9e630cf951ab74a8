#!/usr/bin/env node
/*
 * Run the requests of an `iamcross simulate --requests` file through
 * @cloud-copilot/iam-simulate, the independent reference evaluator, and
 * print one JSON line a request: {"id", "decision"}, where decision is
 * "Allowed", "ImplicitlyDenied", "ExplicitlyDenied" or "Error" (with
 * "reason").
 *
 * The reference runs as this separate process only; nothing of it is linked
 * into iamcross.  It takes the context keys as given, so the requests must
 * list every key, those derived from the caller included.
 *
 * Usage: node reference.js REQUESTS.jsonl > DECISIONS.jsonl
 */
'use strict';

const fs = require('fs');
const readline = require('readline');

let simulate;
try {
  simulate = require('@cloud-copilot/iam-simulate');
} catch (err) {
  process.stderr.write('reference.js: @cloud-copilot/iam-simulate is not installed; run `npm ci` in tests/\n');
  process.exit(3);
}

function toSimulation(request) {
  const identity = (request.identityPolicies || []).map((policy, i) => ({
    name: 'identityPolicies[' + i + ']',
    policy
  }));
  return {
    identityPolicies: identity,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: request.resourcePolicy || undefined,
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: request.resourceAccount },
      contextVariables: request.context || {}
    }
  };
}

async function decide(line) {
  let request;
  try {
    request = JSON.parse(line);
  } catch (err) {
    return { id: null, decision: 'Error', reason: 'invalid JSON' };
  }
  try {
    const response = await simulate.runSimulation(toSimulation(request), {});
    if (response.resultType === 'error') {
      return { id: request.id, decision: 'Error', reason: JSON.stringify(response.errors) };
    }
    return { id: request.id, decision: response.overallResult };
  } catch (err) {
    return { id: request.id, decision: 'Error', reason: String(err && err.message) };
  }
}

async function main() {
  const path = process.argv[2];
  const input = path && path !== '-' ? fs.createReadStream(path) : process.stdin;
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  const out = [];
  for await (const line of lines) {
    if (line.trim() === '') continue;
    out.push(JSON.stringify(await decide(line)));
    if (out.length >= 1000) {
      process.stdout.write(out.join('\n') + '\n');
      out.length = 0;
    }
  }
  if (out.length) process.stdout.write(out.join('\n') + '\n');
}

main().catch((err) => {
  process.stderr.write('reference.js: ' + (err && err.stack) + '\n');
  process.exit(2);
});
