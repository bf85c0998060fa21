// Signed NEAR tokens for the openai_sdk tests, made with near-api-js the way NEAR AI clients make
// them. Shared by every openai_sdk/*.test.mjs (this file is not a test: it does not match *.test.mjs).
import { KeyPair, KeyPairSigner } from "near-api-js";

// A NEP-413 token for a fresh implicit account (the account id is the hex public key, so the hub
// checks it offline). Each call is a new account. `runnerData` adds the runner_data field that a
// runner puts in the tokens it hands to agents.
export async function makeToken({ runnerData } = {}) {
  const keyPair = KeyPair.fromRandom("ed25519");
  const accountId = Buffer.from(keyPair.getPublicKey().data).toString("hex");
  const message = "Welcome to NEAR AI Hub!";
  const recipient = "ai.near";
  const nonce = String(Date.now()).padStart(32, "0");
  const signed = await new KeyPairSigner(keyPair).signNep413Message(accountId, {
    message, recipient, nonce: Buffer.from(nonce),
  });
  return JSON.stringify({
    account_id: accountId,
    public_key: signed.publicKey.toString(),
    signature: Buffer.from(signed.signature).toString("base64"),
    callback_url: null,
    message,
    recipient,
    nonce,
    ...(runnerData ? { runner_data: JSON.stringify(runnerData) } : {}),
  });
}
