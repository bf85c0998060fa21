// The official `openai` npm SDK against nearhub, the way NEAR AI agents use it: baseURL is the
// hub, apiKey is the signed NEAR token (JSON text), which the SDK sends as
// "Authorization: Bearer <token>". Started by tests/js/run_openai_sdk.sh with fake_openai_server
// as the hub's provider `local`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import OpenAI from "openai";
import { PublicKey } from "near-api-js";
import { makeToken } from "./token.mjs";

const hub = process.env.NEARHUB_URL;
const trustedRunnerKey = process.env.TRUSTED_RUNNER_API_KEY;
assert.ok(hub && process.env.FAKE_OPENAI_URL, "run through tests/js/run_openai_sdk.sh");

async function client(options) {
  return new OpenAI({ baseURL: `${hub}/v1`, apiKey: await makeToken(options), maxRetries: 0 });
}

test("models.list shows the provider's models as provider::model", async () => {
  const openai = await client();
  const ids = [];
  for await (const model of openai.models.list()) ids.push(model.id);
  assert.ok(ids.includes("local::test-model"), JSON.stringify(ids));
  assert.ok(ids.includes("local::other-model"), JSON.stringify(ids));
});

test("chat.completions.create returns the provider's completion and usage", async () => {
  const openai = await client();
  const completion = await openai.chat.completions.create({
    model: "local::test-model",
    messages: [
      { role: "system", content: "You are terse." },
      { role: "user", content: "hello from the sdk" },
    ],
  });
  assert.equal(completion.object, "chat.completion");
  assert.equal(completion.choices[0].message.role, "assistant");
  assert.equal(completion.choices[0].message.content, "echo: hello from the sdk");
  assert.equal(completion.choices[0].finish_reason, "stop");
  assert.deepEqual(
    { p: completion.usage.prompt_tokens, c: completion.usage.completion_tokens },
    { p: 7, c: 5 });  // word counts of the fake provider
});

test("a streamed chat arrives chunk by chunk and assembles to the whole text", async () => {
  const openai = await client();
  const stream = await openai.chat.completions.create({
    model: "local::test-model",
    messages: [{ role: "user", content: "one two three four" }],
    stream: true,
    stream_options: { include_usage: true },
  });
  let text = "";
  let contentChunks = 0;
  let finishReason = null;
  let usage = null;
  for await (const chunk of stream) {
    assert.equal(chunk.object, "chat.completion.chunk");
    const choice = chunk.choices[0];
    if (choice?.delta?.content) {
      text += choice.delta.content;
      contentChunks += 1;
    }
    if (choice?.finish_reason) finishReason = choice.finish_reason;
    if (chunk.usage) usage = chunk.usage;
  }
  assert.equal(text, "echo: one two three four");
  assert.equal(contentChunks, 5);  // one per word, as the provider sent them
  assert.equal(finishReason, "stop");
  assert.ok(usage, "the usage chunk asked for with include_usage");
  assert.equal(usage.completion_tokens, 5);
});

test("completions.create (the legacy endpoint), plain and streamed", async () => {
  const openai = await client();
  const completion = await openai.completions.create({
    model: "local::test-model", prompt: "x y", max_tokens: 8,
  });
  assert.equal(completion.choices[0].text, "echo: x y");
  assert.ok(completion.usage.total_tokens > 0);
  const stream = await openai.completions.create({
    model: "local::test-model", prompt: "x y", stream: true,
  });
  let text = "";
  for await (const chunk of stream) text += chunk.choices[0]?.text ?? "";
  assert.equal(text, "echo: x y");
});

test("images.generate returns a base64 image", async () => {
  const openai = await client();
  const images = await openai.images.generate({ model: "local::test-model", prompt: "a cat" });
  assert.equal(images.data.length, 1);
  assert.ok(Buffer.from(images.data[0].b64_json, "base64").length > 0);
});

test("embeddings.create returns one vector per input (SDK default base64 and float)", async () => {
  const openai = await client();
  const byDefault = await openai.embeddings.create({
    model: "local::test-model", input: ["a cat", "a dog"],
  });
  assert.equal(byDefault.data.length, 2);
  assert.equal(byDefault.data[0].embedding.length, 8);
  assert.notDeepEqual(byDefault.data[0].embedding, byDefault.data[1].embedding);
  const asFloats = await openai.embeddings.create({
    model: "local::test-model", input: "a cat", encoding_format: "float",
  });
  assert.equal(asFloats.data[0].embedding.length, 8);
  asFloats.data[0].embedding.forEach((value, i) =>
    assert.ok(Math.abs(value - byDefault.data[0].embedding[i]) < 1e-6, `dimension ${i}`));
  assert.ok(byDefault.usage.prompt_tokens > 0);
});

test("errors surface as the SDK's typed errors", async () => {
  const openai = await client();
  await assert.rejects(
    openai.chat.completions.create({
      model: "local::no-such-model", messages: [{ role: "user", content: "hi" }],
    }),
    (error) => error instanceof OpenAI.APIError && error.status === 400);

  const token = JSON.parse(await makeToken());
  const tampered = new OpenAI({
    baseURL: `${hub}/v1`, apiKey: JSON.stringify({ ...token, message: "changed" }), maxRetries: 0,
  });
  await assert.rejects(
    tampered.chat.completions.create({
      model: "local::test-model", messages: [{ role: "user", content: "hi" }],
    }),
    (error) => error instanceof OpenAI.AuthenticationError && error.status === 401);
});

// Spec §3.2 payload, written independently of the hub's C++ (what an agent's verifier does).
function completionPayload({ agent, model, messages, temperature, maxTokens, completion }) {
  const u32 = (n) => { const b = Buffer.alloc(4); b.writeUInt32LE(n); return b; };
  const str = (s) => { const b = Buffer.from(s, "utf8"); return Buffer.concat([u32(b.length), b]); };
  return Buffer.concat([
    str(agent), str(model), u32(messages.length),
    ...messages.flatMap((m) => [str(m.role), str(m.content)]),
    Buffer.from([1]), u32(Math.round(temperature * 1000)),
    Buffer.from([1]), u32(maxTokens),
    str(completion),
  ]);
}

test("a trusted runner's completion is signed with the agent's key", async () => {
  const agent = "alice.near/signed-agent/0.0.1";
  const openai = await client({ runnerData: { agent, runner_api_key: trustedRunnerKey } });
  const messages = [{ role: "user", content: "sign me, grüße" }];
  const completion = await openai.chat.completions.create({
    model: "local::test-model", messages, temperature: 0.5, max_tokens: 100,
  });
  const fingerprint = JSON.parse(completion.system_fingerprint);
  assert.deepEqual(Object.keys(fingerprint), ["response", "signature", "public_key"]);
  assert.equal(fingerprint.response, "echo: sign me, grüße");

  const published = await fetch(
    `${hub}/v1/get_agent_public_key?agent_name=${encodeURIComponent(agent)}`, { method: "POST" });
  assert.equal(published.status, 200);
  assert.equal(await published.json(), fingerprint.public_key);

  const digest = createHash("sha256").update(completionPayload({
    agent, model: "local::test-model", messages, temperature: 0.5, maxTokens: 100,
    completion: fingerprint.response,
  })).digest();
  const key = PublicKey.fromString(fingerprint.public_key);
  const signature = Buffer.from(fingerprint.signature, "base64");
  assert.ok(key.verify(digest, signature), "the signature verifies over the §3.2 payload");
  digest[0] ^= 1;
  assert.ok(!key.verify(digest, signature));

  // The same request from an untrusted runner is not signed.
  const untrusted = await client({ runnerData: { agent, runner_api_key: "someone-else" } });
  const plain = await untrusted.chat.completions.create({ model: "local::test-model", messages });
  assert.equal(plain.system_fingerprint, "fp_fake");
});
