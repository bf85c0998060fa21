// A bearer token made the way a web app or script using near-api-js makes one (its own NEP-413
// signer, no nearhub code) must be accepted by nearhub.
import { test } from "node:test";
import assert from "node:assert/strict";
import { KeyPair, KeyPairSigner } from "near-api-js";

const hub = process.env.NEARHUB_URL;

async function makeToken({ message = "Welcome to NEAR AI Hub!", recipient = "ai.near",
                           callbackUrl } = {}) {
  const keyPair = KeyPair.fromRandom("ed25519");
  // An implicit account: its id is the hex of the public key, which nearhub checks offline.
  const accountId = Buffer.from(keyPair.getPublicKey().data).toString("hex");
  const nonce = String(Date.now()).padStart(32, "0");
  const signer = new KeyPairSigner(keyPair);
  const signed = await signer.signNep413Message(accountId, {
    message, recipient, nonce: Buffer.from(nonce), callbackUrl,
  });
  return {
    accountId,
    token: JSON.stringify({
      account_id: accountId,
      public_key: signed.publicKey.toString(),
      signature: Buffer.from(signed.signature).toString("base64"),
      callback_url: callbackUrl ?? null,
      message,
      recipient,
      nonce,
    }),
  };
}

async function listNonces(token) {
  return fetch(`${hub}/v1/nonce/list`, { headers: { Authorization: `Bearer ${token}` } });
}

test("a near-api-js token is accepted and recorded", async () => {
  const { accountId, token } = await makeToken();
  const response = await listNonces(token);
  assert.equal(response.status, 200, await response.clone().text());
  const nonces = await response.json();
  assert.equal(nonces.length, 1);
  assert.equal(nonces[0].account_id, accountId);
  assert.equal(nonces[0].nonce_status, "active");
  assert.equal(nonces[0].message, "Welcome to NEAR AI Hub!");
});

test("a near-api-js token signed with a callback URL is accepted", async () => {
  const { token } = await makeToken({ callbackUrl: "http://localhost:3000/sign-in/callback" });
  assert.equal((await listNonces(token)).status, 200);
});

test("a near-api-js token whose message was changed after signing is refused", async () => {
  const { token } = await makeToken();
  const tampered = JSON.stringify({ ...JSON.parse(token), message: "Something else" });
  const response = await listNonces(tampered);
  assert.equal(response.status, 401);
  assert.deepEqual(await response.json(), { detail: "Invalid signature" });
});

test("the same token also works as the auth cookie", async () => {
  const { token } = await makeToken();
  const response = await fetch(`${hub}/v1/nonce/list`,
                               { headers: { Cookie: `auth=${encodeURIComponent(token)}` } });
  assert.equal(response.status, 200);
});
