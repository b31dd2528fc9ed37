// The bearer token: asked for when the server answers 401, kept in this tab's sessionStorage (never
// localStorage, never a URL), sent only in the Authorization header by api.js.

const KEY = 'iot-console.token';

let token = sessionStorage.getItem(KEY);
let asking = null;

export function currentToken() {
  return token;
}

export function forgetToken() {
  token = null;
  sessionStorage.removeItem(KEY);
  updateForgetButton();
}

export function updateForgetButton() {
  document.getElementById('forget-token').hidden = !token;
}

/**
 * Shows the token dialog (once, however many requests were refused at the same time). Resolves true
 * when the user gave a token, false when they cancelled.
 */
export function askForToken(rejected) {
  if (asking) {
    return asking;
  }
  const dialog = document.getElementById('token-dialog');
  const form = document.getElementById('token-form');
  const input = document.getElementById('token-input');
  document.getElementById('token-error').hidden = !rejected;
  input.value = '';
  asking = new Promise((resolve) => {
    const done = (given) => {
      form.removeEventListener('submit', onSubmit);
      cancel.removeEventListener('click', onCancel);
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open) {
        dialog.close();
      }
      asking = null;
      resolve(given);
    };
    const onSubmit = (event) => {
      event.preventDefault();
      const value = input.value.trim();
      if (!value) {
        return;
      }
      token = value;
      sessionStorage.setItem(KEY, value);
      updateForgetButton();
      done(true);
    };
    const onCancel = (event) => {
      event.preventDefault();
      done(false);
    };
    const cancel = document.getElementById('token-cancel');
    form.addEventListener('submit', onSubmit);
    cancel.addEventListener('click', onCancel);
    dialog.addEventListener('cancel', onCancel);
    dialog.showModal();
    input.focus();
  });
  return asking;
}
