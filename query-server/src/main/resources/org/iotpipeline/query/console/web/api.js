// Every request of the console: same origin, relative paths (the page may sit behind a proxy
// prefix), the token in the Authorization header, a 401 answered by asking for the token.

import { askForToken, currentToken, forgetToken } from './auth.js';

/** A non-2xx answer with its problem body (RFC 9457): status, type, title, detail, and extras. */
export class ProblemError extends Error {
  constructor(problem) {
    super(problem.detail || problem.title || `HTTP ${problem.status}`);
    this.problem = problem;
  }
}

/** fetch() with the token; on 401 asks for a (new) token and tries again, until the user cancels. */
export async function request(path, options = {}) {
  for (;;) {
    const headers = new Headers(options.headers || {});
    const token = currentToken();
    if (token) {
      headers.set('Authorization', `Bearer ${token}`);
    }
    const response = await fetch(path, {
      method: options.method || 'GET',
      headers,
      body: options.body,
      signal: options.signal,
      cache: 'no-store',
      credentials: 'same-origin',
      redirect: 'error',
    });
    if (response.status !== 401) {
      return response;
    }
    const problem = await problemOf(response);
    if (token) {
      forgetToken();
    }
    if (!(await askForToken(Boolean(token)))) {
      throw new ProblemError(problem);
    }
  }
}

/** The JSON body of a 2xx answer; a ProblemError otherwise. */
export async function getJson(path, options = {}) {
  const response = await request(path, options);
  if (!response.ok) {
    throw new ProblemError(await problemOf(response));
  }
  return response.json();
}

/** The problem body of an error answer, or one made from its status and text. */
export async function problemOf(response) {
  const text = await response.text();
  try {
    const body = JSON.parse(text);
    if (body && typeof body === 'object') {
      return { status: response.status, title: response.statusText, ...body };
    }
  } catch (e) {
    // Not JSON (a proxy's HTML page, say): shown as text below.
  }
  return { status: response.status, title: response.statusText || 'Error', detail: text.slice(0, 2000) };
}
