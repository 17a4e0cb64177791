// The demo page: plain JS, no build. WebAuthn JSON in and out through the L3 helpers.
const $ = (id) => document.getElementById(id);

function b64uToBuf(s) {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((s.length + 3) % 4);
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)).buffer;
}
function bufToB64u(buf) {
  let bin = '';
  for (const b of new Uint8Array(buf)) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
function creationOptions(json) {
  if (PublicKeyCredential.parseCreationOptionsFromJSON) return PublicKeyCredential.parseCreationOptionsFromJSON(json);
  return { ...json, challenge: b64uToBuf(json.challenge), user: { ...json.user, id: b64uToBuf(json.user.id) },
    excludeCredentials: (json.excludeCredentials || []).map((c) => ({ ...c, id: b64uToBuf(c.id) })) };
}
function requestOptions(json) {
  if (PublicKeyCredential.parseRequestOptionsFromJSON) return PublicKeyCredential.parseRequestOptionsFromJSON(json);
  return { ...json, challenge: b64uToBuf(json.challenge),
    allowCredentials: (json.allowCredentials || []).map((c) => ({ ...c, id: b64uToBuf(c.id) })) };
}
function toJSON(cred) {
  if (cred.toJSON) return cred.toJSON();
  const r = cred.response;
  const response = { clientDataJSON: bufToB64u(r.clientDataJSON) };
  if (r.attestationObject) {
    response.attestationObject = bufToB64u(r.attestationObject);
    response.transports = r.getTransports ? r.getTransports() : [];
  } else {
    response.authenticatorData = bufToB64u(r.authenticatorData);
    response.signature = bufToB64u(r.signature);
    if (r.userHandle) response.userHandle = bufToB64u(r.userHandle);
  }
  return { id: cred.id, rawId: bufToB64u(cred.rawId), type: cred.type, response,
    authenticatorAttachment: cred.authenticatorAttachment, clientExtensionResults: cred.getClientExtensionResults() };
}

async function post(path, body) {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body || {}) });
  const out = await res.json();
  if (!res.ok) throw new Error(out.error || 'Request failed');
  return out;
}

function browserError(e) {
  if (e && e.name === 'NotAllowedError') return 'Your fingerprint or PIN was not verified, or the request was cancelled.';
  if (e && e.name === 'InvalidStateError') return 'This authenticator already holds a passkey for this account.';
  return (e?.message) || String(e);
}

let busy = false;
async function action(fn) {
  if (busy) return;
  busy = true;
  $('error').textContent = '';
  $('message').textContent = '';
  document.body.dataset.state = 'busy';
  try {
    const out = await fn();
    if (out) render(out);
    if (out?.message) $('message').textContent = out.message;
  } catch (e) {
    $('error').textContent = e.message;
  } finally {
    busy = false;
    document.body.dataset.state = 'idle';
  }
}

// A WebAuthn ceremony: options from the server, the browser, the response back to the server.
async function ceremony(optionsPath, verifyPath, body, create) {
  const { ceremonyId, options } = await post(optionsPath, body);
  let credential;
  try {
    credential = create
      ? await navigator.credentials.create({ publicKey: creationOptions(options) })
      : await navigator.credentials.get({ publicKey: requestOptions(options) });
  } catch (e) {
    throw new Error(browserError(e));
  }
  const finish = { ceremonyId, response: toJSON(credential) };
  window.lastFinish = { path: verifyPath, body: finish }; // kept for the replay test
  return post(verifyPath, finish);
}

function when(iso) {
  return iso ? new Date(iso).toLocaleString() : 'never';
}

function render(state) {
  $('rpid').textContent = state.rpId;
  $('title').textContent = `${state.service} — passkeys demo`;
  const other = state.rpId === 'wallet.localhost' ? 'pay.localhost' : 'wallet.localhost';
  $('other').href = `${location.protocol}//${other}:${location.port}/`;
  $('other').textContent = other;
  $('signed-out').hidden = !!state.user;
  $('signed-in').hidden = !state.user;
  if (!state.user) return;
  $('who').textContent = state.user;
  $('hold').hidden = !state.holdUntil;
  $('hold').textContent = state.holdUntil ? `Withdrawals on hold until ${when(state.holdUntil)}` : '';
  $('confirmed').hidden = !state.confirmedUntil;
  $('confirmed').textContent = state.confirmedUntil ? `Passkey confirmation valid until ${when(state.confirmedUntil)}` : '';
  const list = $('passkeys');
  list.replaceChildren();
  if (state.passkeys.length === 0) list.textContent = 'No passkeys yet.';
  for (const p of state.passkeys) {
    const div = document.createElement('div');
    div.className = 'passkey';
    div.dataset.id = p.id;
    div.innerHTML = '<b class="name"></b> <span class="rp"></span><br><small class="meta"></small>' +
      '<br><small class="attestation"></small><br>' +
      '<button class="rename">Rename</button> <button class="remove">Remove</button>';
    div.querySelector('.name').textContent = p.name;
    div.querySelector('.rp').textContent = p.rpId;
    div.querySelector('.meta').textContent =
      `Created ${when(p.createdAt)} · last used ${when(p.lastUsedAt)} · ${p.backedUp ? 'backed up (synced)' : 'not backed up'}`;
    const a = p.attestation;
    div.querySelector('.attestation').textContent =
      `Attestation: ${a.format} (${a.type}, ${a.trusted ? 'trusted' : 'not checked against a trusted root'})`;
    div.querySelector('.rename').onclick = () => {
      const name = prompt('New name', p.name);
      if (name) action(() => post('/api/passkeys/rename', { id: p.id, name }));
    };
    div.querySelector('.remove').onclick = () => action(() => post('/api/passkeys/remove', { id: p.id }));
    list.append(div);
  }
}

$('register').onclick = () => action(() => post('/api/register', { username: $('new-username').value }));
$('signout').onclick = () => action(() => post('/api/signout'));
$('signin-discoverable').onclick = () => action(() => ceremony('/api/signin/options', '/api/signin/verify', {}));
$('signin-username-first').onclick = () =>
  action(() => ceremony('/api/signin/options', '/api/signin/verify', { username: $('signin-username').value }));
for (const kind of ['client-device', 'security-key', 'hybrid']) {
  $(`add-${kind}`).onclick = () => action(() => ceremony('/api/passkeys/options', '/api/passkeys/verify', { kind }, true));
}
$('confirm').onclick = () => action(() => ceremony('/api/confirm/options', '/api/confirm/verify', { action: 'confirm' }));
$('withdraw').onclick = () => action(() => ceremony('/api/confirm/options', '/api/confirm/verify', { action: 'withdraw' }));
window.replayLast = () => post(window.lastFinish.path, window.lastFinish.body).then(() => 'accepted', (e) => e.message);

action(() => post('/api/me')).then(() => { document.body.dataset.ready = '1'; });
