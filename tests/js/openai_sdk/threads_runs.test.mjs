// The official `openai` npm SDK driving threads, messages and runs on nearhub (the Assistants API
// under client.beta.threads): what a client written for OpenAI or for the original hub does.
// Started by tests/js/run_openai_sdk.sh: nearhub's provider `local` is fake_openai_server, which
// answers "echo: <last message>", so a prompt agent's reply is known in advance.
import { test } from "node:test";
import assert from "node:assert/strict";
import OpenAI from "openai";
import { makeToken } from "./token.mjs";

const hub = process.env.NEARHUB_URL;
assert.ok(hub && process.env.FAKE_OPENAI_URL, "run through tests/js/run_openai_sdk.sh");

// A fresh implicit account: its token, its account id and an SDK client that sends the token.
async function account() {
  const token = await makeToken();
  return {
    token,
    accountId: JSON.parse(token).account_id,
    openai: new OpenAI({ baseURL: `${hub}/v1`, apiKey: token, maxRetries: 0 }),
  };
}

const text = (message) => message.content[0].text.value;

// Every item of an SDK list (auto-pagination) or stream.
async function collect(iterable) {
  const items = [];
  for await (const item of iterable) items.push(item);
  return items;
}

// Publishes a prompt agent in `who`'s namespace the way the CLI and the Python client do (plain
// HTTP: the SDK has no registry); returns its id "namespace/name/1.0.0".
async function publishPromptAgent(who, name, instructions) {
  const entry_location = { namespace: who.accountId, name, version: "1.0.0" };
  const auth = { Authorization: `Bearer ${who.token}` };
  const metadata = await fetch(`${hub}/v1/registry/upload_metadata`, {
    method: "POST",
    headers: { ...auth, "Content-Type": "application/json" },
    body: JSON.stringify({
      entry_location,
      metadata: {
        category: "agent",
        description: "answers through the fake provider",
        tags: [],
        show_entry: true,
        details: { agent: { framework: "prompt", defaults: { model: "local::test-model" } } },
      },
    }),
  });
  assert.equal(metadata.status, 200, await metadata.text());
  // Multipart as the generated Python client sends it: four text fields and the file part.
  const form = new FormData();
  form.set("path", "instructions.md");
  form.set("namespace", who.accountId);
  form.set("name", name);
  form.set("version", "1.0.0");
  form.set("file", new Blob([instructions]), "file");
  const file = await fetch(`${hub}/v1/registry/upload_file`, {
    method: "POST", headers: auth, body: form,
  });
  assert.equal(file.status, 200, await file.text());
  return `${who.accountId}/${name}/1.0.0`;
}

// The SDK sends `OpenAI-Beta: assistants=v2`, so nearhub streams runs in OpenAI's format
// (`event:` and `data:` lines) and the SDK yields each event as {event, data}.
function runEvent(item) {
  assert.equal(typeof item?.event, "string", JSON.stringify(item));
  return item;
}

const RUN_START = [
  "thread.run.created", "thread.run.queued", "thread.run.in_progress",
  "thread.run.step.created", "thread.run.step.in_progress",
];

test("threads: create with messages, retrieve, update metadata, delete", async () => {
  const { openai } = await account();
  const thread = await openai.beta.threads.create({
    messages: [
      { role: "user", content: "first" },
      { role: "assistant", content: "second" },
    ],
    metadata: { topic: "sdk" },
  });
  assert.equal(thread.object, "thread");
  assert.match(thread.id, /^thread_/);
  assert.equal(thread.metadata.topic, "sdk");

  const retrieved = await openai.beta.threads.retrieve(thread.id);
  assert.equal(retrieved.id, thread.id);
  assert.equal(retrieved.created_at, thread.created_at);
  assert.equal(retrieved.metadata.topic, "sdk");

  // The messages given at creation are there, in order.
  const messages = await collect(openai.beta.threads.messages.list(thread.id, { order: "asc" }));
  assert.deepEqual(messages.map((m) => [m.role, text(m)]),
    [["user", "first"], ["assistant", "second"]]);
  assert.ok(messages.every((m) => m.thread_id === thread.id && m.object === "thread.message"));

  // A non-null metadata replaces the stored object.
  const updated = await openai.beta.threads.update(thread.id, { metadata: { colour: "blue" } });
  assert.equal(updated.id, thread.id);
  assert.equal(updated.metadata.colour, "blue");
  assert.equal(updated.metadata.topic, undefined);
  assert.equal((await openai.beta.threads.retrieve(thread.id)).metadata.colour, "blue");

  const deleted = await openai.beta.threads.delete(thread.id);
  assert.deepEqual(deleted, { id: thread.id, object: "thread.deleted", deleted: true });
  await assert.rejects(openai.beta.threads.retrieve(thread.id),
    (error) => error instanceof OpenAI.NotFoundError && error.status === 404);
});

test("messages: create, retrieve, update metadata, auto-paginate both ways", async () => {
  const { openai } = await account();
  const thread = await openai.beta.threads.create();
  const created = [];
  for (let i = 0; i < 25; i += 1) {
    created.push(await openai.beta.threads.messages.create(thread.id, {
      role: "user", content: `message ${i}`,
    }));
  }
  const first = created[0];
  assert.equal(first.object, "thread.message");
  assert.match(first.id, /^msg_/);
  assert.equal(first.thread_id, thread.id);
  assert.equal(first.role, "user");
  assert.deepEqual(first.content,
    [{ type: "text", text: { value: "message 0", annotations: [] } }]);

  const retrieved = await openai.beta.threads.messages.retrieve(first.id, { thread_id: thread.id });
  assert.equal(retrieved.id, first.id);
  assert.equal(text(retrieved), "message 0");

  // messages.update is a POST (OpenAI's verb; the original hub had only PATCH).
  const updated = await openai.beta.threads.messages.update(first.id, {
    thread_id: thread.id, metadata: { reviewed: "yes" },
  });
  assert.deepEqual(updated.metadata, { reviewed: "yes" });
  assert.deepEqual(
    (await openai.beta.threads.messages.retrieve(first.id, { thread_id: thread.id })).metadata,
    { reviewed: "yes" });

  // Auto-pagination with `after` = the last id of each page, pages of 10: 10 + 10 + 5.
  const expected = created.map((m) => m.id);
  for (const order of ["asc", "desc"]) {
    const list = () => openai.beta.threads.messages.list(thread.id, { limit: 10, order });
    const pages = await collect((await list()).iterPages());
    assert.deepEqual(pages.map((page) => page.data.length), [10, 10, 5], order);
    const ids = pages.flatMap((page) => page.data.map((m) => m.id));
    assert.deepEqual(ids, order === "asc" ? expected : [...expected].reverse(), order);

    const texts = (await collect(list())).map(text);
    assert.equal(texts.length, 25, order);
    assert.equal(texts[0], order === "asc" ? "message 0" : "message 24");
  }
});

test("a prompt agent's run, created and polled, completes with the provider's answer",
  { timeout: 60_000 }, async () => {
    const alice = await account();
    const agent = await publishPromptAgent(alice, "sdk-poller", "You are terse.");
    const thread = await alice.openai.beta.threads.create({
      messages: [{ role: "user", content: "hello from the sdk run" }],
    });

    const run = await alice.openai.beta.threads.runs.createAndPoll(
      thread.id, { assistant_id: agent }, { pollIntervalMs: 100 });
    assert.equal(run.object, "thread.run");
    assert.match(run.id, /^run_/);
    assert.equal(run.status, "completed", JSON.stringify(run));
    assert.equal(run.thread_id, thread.id);
    assert.equal(run.assistant_id, agent);

    const again = await alice.openai.beta.threads.runs.retrieve(run.id, { thread_id: thread.id });
    assert.equal(again.status, "completed");
    assert.equal(typeof again.completed_at, "number");

    const messages = await collect(
      alice.openai.beta.threads.messages.list(thread.id, { order: "asc" }));
    assert.equal(messages.length, 2);
    assert.equal(messages[1].role, "assistant");
    assert.equal(text(messages[1]), "echo: hello from the sdk run");
    assert.equal(messages[1].run_id, run.id);
    assert.equal(messages[1].assistant_id, agent);
    // The run_id filter of messages.list.
    const ofRun = await collect(
      alice.openai.beta.threads.messages.list(thread.id, { run_id: run.id }));
    assert.deepEqual(ofRun.map((m) => m.id), [messages[1].id]);
  });

test("a streamed run (runs.create with stream: true) delivers the deltas, then ends",
  { timeout: 60_000 }, async () => {
    const alice = await account();
    const agent = await publishPromptAgent(alice, "sdk-streamer", "You are terse.");
    const thread = await alice.openai.beta.threads.create({
      messages: [{ role: "user", content: "stream me some words" }],
    });

    const stream = await alice.openai.beta.threads.runs.create(thread.id, {
      assistant_id: agent, stream: true,
    });
    // The iteration ends when the hub ends the response (after thread.run.completed).
    const events = (await collect(stream)).map(runEvent);
    const names = events.map((e) => e.event);

    assert.deepEqual(names.slice(0, 5), RUN_START, names.join(" "));
    assert.equal(names.at(-1), "thread.run.completed", names.join(" "));
    const runId = events[0].data.id;
    assert.match(runId, /^run_/);
    assert.equal(events.at(-1).data.id, runId);
    assert.equal(events.at(-1).data.status, "completed");

    let reply = "";
    for (const event of events.filter((e) => e.event === "thread.message.delta")) {
      assert.equal(event.data.object, "thread.message.delta");
      reply += event.data.delta.content.map((part) => part.text.value).join("");
    }
    assert.equal(reply, "echo: stream me some words");
    // One delta per provider chunk (a word each), then the message's completion, then the run's.
    assert.equal(names.filter((n) => n === "thread.message.delta").length, 5);
    const lastDelta = names.lastIndexOf("thread.message.delta");
    assert.ok(names.indexOf("thread.message.completed") > lastDelta, names.join(" "));

    const run = await alice.openai.beta.threads.runs.retrieve(runId, { thread_id: thread.id });
    assert.equal(run.status, "completed");
  });

// The SDK's stream helper (AssistantStream). The SDK sends `OpenAI-Beta: assistants=v2`, so the
// hub streams in OpenAI's format (`event:` lines, and a thread.message.created /
// thread.message.completed pair with an id around the agent's deltas; docs/agents.md).
test("runs.stream (the SDK's AssistantStream helper) on a prompt agent's run", {
  timeout: 60_000,
}, async () => {
  const alice = await account();
  const agent = await publishPromptAgent(alice, "sdk-helper", "You are terse.");
  const thread = await alice.openai.beta.threads.create({
    messages: [{ role: "user", content: "through the helper" }],
  });
  const stream = alice.openai.beta.threads.runs.stream(thread.id, { assistant_id: agent });
  let reply = "";
  stream.on("textDelta", (delta) => { reply += delta.value; });
  const run = await stream.finalRun();
  assert.equal(run.status, "completed");
  assert.equal(reply, "echo: through the helper");
});

test("another account gets PermissionDeniedError on the thread and its run", async () => {
  const alice = await account();
  const bob = await account();
  const thread = await alice.openai.beta.threads.create({
    messages: [{ role: "user", content: "private" }], metadata: { owner: "alice" },
  });
  // A delegated run: the caller would execute it, so no agent needs to exist.
  const run = await alice.openai.beta.threads.runs.create(thread.id, {
    assistant_id: "someone.near/agent/1", delegate_execution: true,
  });
  assert.equal(run.status, "queued");

  const denied = (error) => error instanceof OpenAI.PermissionDeniedError && error.status === 403;
  const threads = bob.openai.beta.threads;
  await assert.rejects(threads.retrieve(thread.id), denied);
  await assert.rejects(threads.update(thread.id, { metadata: { owner: "bob" } }), denied);
  await assert.rejects(threads.delete(thread.id), denied);
  await assert.rejects(threads.messages.list(thread.id), denied);
  await assert.rejects(threads.messages.create(thread.id, { role: "user", content: "hi" }), denied);
  await assert.rejects(threads.runs.retrieve(run.id, { thread_id: thread.id }), denied);
  await assert.rejects(threads.runs.create(thread.id, {
    assistant_id: "someone.near/agent/1", delegate_execution: true,
  }), denied);

  // The original's error body, as a plain client sees it.
  const plain = await fetch(`${hub}/v1/threads/${thread.id}/runs/${run.id}`, {
    headers: { Authorization: `Bearer ${bob.token}` },
  });
  assert.equal(plain.status, 403);
  assert.deepEqual(await plain.json(),
    { detail: "You don't have permission to access messages from this thread" });

  // Nothing changed for alice.
  assert.equal((await alice.openai.beta.threads.retrieve(thread.id)).metadata.owner, "alice");
  const messages = await collect(alice.openai.beta.threads.messages.list(thread.id));
  assert.deepEqual(messages.map(text), ["private"]);
  assert.equal(
    (await alice.openai.beta.threads.runs.retrieve(run.id, { thread_id: thread.id })).status,
    "queued");
});
