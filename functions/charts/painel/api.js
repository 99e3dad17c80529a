// The API client: tokens kept for this tab only (sessionStorage), one refresh on 401 (each refresh
// token is single use: the answer carries the next one), JSON errors turned into ApiError with the
// server's stable code and human message.

const STORAGE_KEY = "alumusic.painel.sessao";

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
  }
}

let session = readSession();
const expiredListeners = new Set();

function readSession() {
  try {
    const stored = JSON.parse(window.sessionStorage.getItem(STORAGE_KEY) ?? "null");
    if (stored && typeof stored.access === "string" && typeof stored.refresh === "string") {
      return stored;
    }
  } catch {
    // A damaged entry is the same as no session.
  }
  return null;
}

function writeSession(value) {
  session = value;
  if (value) window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(value));
  else window.sessionStorage.removeItem(STORAGE_KEY);
}

/** Claims of a JWT, for display only (the server verifies every request). */
function claimsOf(token) {
  try {
    const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const padded = part + "=".repeat((4 - (part.length % 4)) % 4);
    const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return {};
  }
}

export function currentUser() {
  if (!session) return null;
  const claims = claimsOf(session.access);
  return { username: claims.sub ?? "", role: claims.role ?? "" };
}

export function isLoggedIn() {
  return session !== null;
}

export function onSessionExpired(listener) {
  expiredListeners.add(listener);
}

async function errorFrom(response) {
  let code = `http_${response.status}`;
  let message = `O servidor respondeu ${response.status}.`;
  try {
    const body = await response.json();
    if (body && body.error) {
      code = body.error.code ?? code;
      message = body.error.message ?? message;
    }
  } catch {
    // Not JSON (a proxy's page, say): keep the generic message.
  }
  return new ApiError(response.status, code, message);
}

async function post(path, body) {
  return fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body),
    credentials: "same-origin",
  });
}

export async function login(username, password) {
  const response = await post("/api/auth/login", { username, password });
  if (!response.ok) throw await errorFrom(response);
  const tokens = await response.json();
  writeSession({ access: tokens.access, refresh: tokens.refresh });
  return currentUser();
}

/** Forgets the tab's tokens at once and revokes its refresh token on the server. */
export async function logout() {
  const refresh = session?.refresh;
  writeSession(null);
  if (!refresh) return;
  try {
    await post("/api/auth/logout", { refresh });
  } catch {
    // Unreachable server: leaving still succeeds here, and the token expires on its own.
  }
}

let refreshing = null;

/** One refresh at a time: parallel 401s wait for the same new access token. */
async function refreshAccess() {
  if (!session) return false;
  refreshing ??= (async () => {
    try {
      const response = await post("/api/auth/refresh", { refresh: session.refresh });
      if (!response.ok) return false;
      const tokens = await response.json();
      writeSession({ access: tokens.access, refresh: tokens.refresh ?? session.refresh });
      return true;
    } catch {
      return false;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

function expire() {
  writeSession(null);
  for (const listener of expiredListeners) listener();
}

/**
 * An authenticated request. Returns the Response when it is 2xx; throws ApiError otherwise.
 * On 401 the access token is refreshed once and the request repeated once.
 */
export async function request(path, { method = "GET", query, json, accept = "application/json" } = {}) {
  const url = new URL(path, window.location.origin);
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== "") url.searchParams.set(name, value);
  }
  const send = () => {
    const headers = { Accept: accept };
    if (session) headers.Authorization = `Bearer ${session.access}`;
    if (json !== undefined) headers["Content-Type"] = "application/json";
    return fetch(url, {
      method,
      headers,
      body: json === undefined ? undefined : JSON.stringify(json),
      credentials: "same-origin",
    });
  };
  let response = await send();
  if (response.status === 401 && (await refreshAccess())) response = await send();
  if (response.status === 401) {
    const error = await errorFrom(response);
    expire();
    throw error;
  }
  if (!response.ok) throw await errorFrom(response);
  return response;
}

export async function getJson(path, options) {
  const response = await request(path, options);
  return response.json();
}

/**
 * One page of GET /api/comentarios: a plain JSON array, the paging in headers (X-Next-Cursor, or
 * Link rel="next"; X-Total-Count, X-Total-Count-Exact: false when it is an estimate).
 */
export async function listComments(query) {
  const response = await request("/api/comentarios", { query });
  const body = await response.json();
  if (!Array.isArray(body)) {
    throw new ApiError(response.status, "bad_response", "A lista de comentários veio num formato inesperado.");
  }
  const total = response.headers.get("X-Total-Count");
  return {
    items: body,
    nextCursor: response.headers.get("X-Next-Cursor") || cursorFromLink(response.headers.get("Link")),
    total: total === null ? null : Number(total),
    totalExact: response.headers.get("X-Total-Count-Exact") !== "false",
  };
}

function cursorFromLink(link) {
  if (!link) return null;
  for (const part of link.split(",")) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (match) return new URL(match[1], window.location.origin).searchParams.get("cursor");
  }
  return null;
}

/** The CSV export of a filter, fetched with the Authorization header and saved as a file. */
export async function downloadExport(query) {
  const response = await request("/api/comentarios/export", { query, accept: "text/csv" });
  const blob = await response.blob();
  const disposition = response.headers.get("Content-Disposition") ?? "";
  const match = /filename="?([^";]+)"?/.exec(disposition);
  const filename = match ? match[1] : "comentarios.csv";
  const href = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = href;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(href), 10_000);
  return { filename, bytes: blob.size };
}
