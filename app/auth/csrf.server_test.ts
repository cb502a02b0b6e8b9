import assert from "node:assert/strict";
import { isCrossSiteRequest } from "./csrf.server.ts";

const cases: Array<{
  name: string;
  method?: string;
  url?: string;
  headers?: Record<string, string>;
  trustProxy?: boolean;
  crossSite: boolean;
}> = [
  {
    name: "GET is never checked",
    method: "GET",
    headers: { "sec-fetch-site": "cross-site" },
    crossSite: false,
  },
  {
    name: "HEAD is never checked",
    method: "HEAD",
    headers: { origin: "https://evil.test" },
    crossSite: false,
  },
  {
    name: "OPTIONS is never checked",
    method: "OPTIONS",
    headers: { origin: "https://evil.test" },
    crossSite: false,
  },
  { name: "same-origin form post", headers: { "sec-fetch-site": "same-origin" }, crossSite: false },
  {
    name: "user-initiated (typed URL, bookmark)",
    headers: { "sec-fetch-site": "none" },
    crossSite: false,
  },
  { name: "cross-site post", headers: { "sec-fetch-site": "cross-site" }, crossSite: true },
  {
    name: "same-site sibling subdomain",
    headers: { "sec-fetch-site": "same-site" },
    crossSite: true,
  },
  {
    name: "cross-site PUT",
    method: "PUT",
    headers: { "sec-fetch-site": "cross-site" },
    crossSite: true,
  },
  {
    name: "cross-site PATCH",
    method: "PATCH",
    headers: { "sec-fetch-site": "cross-site" },
    crossSite: true,
  },
  {
    name: "cross-site DELETE",
    method: "delete",
    headers: { "sec-fetch-site": "cross-site" },
    crossSite: true,
  },
  {
    name: "Sec-Fetch-Site wins over a proxy-rewritten Origin",
    url: "http://127.0.0.1:8000/login",
    headers: { "sec-fetch-site": "same-origin", origin: "https://atlas9.app" },
    crossSite: false,
  },
  {
    name: "Sec-Fetch-Site cross-site wins over a matching Origin",
    headers: { "sec-fetch-site": "cross-site", origin: "https://atlas9.app" },
    crossSite: true,
  },
  { name: "Origin matches host", headers: { origin: "https://atlas9.app" }, crossSite: false },
  { name: "Origin from another host", headers: { origin: "https://evil.test" }, crossSite: true },
  {
    name: "Origin on another port",
    headers: { origin: "https://atlas9.app:8443" },
    crossSite: true,
  },
  { name: "Origin null", headers: { origin: "null" }, crossSite: true },
  { name: "Origin garbage", headers: { origin: "not a url" }, crossSite: true },
  { name: "neither header (curl, old browsers)", crossSite: false },
  {
    name: "forwarded host ignored without trustProxy",
    url: "http://10.0.0.5:8000/login",
    headers: {
      origin: "https://atlas9.app",
      "x-forwarded-host": "atlas9.app",
      "x-forwarded-proto": "https",
    },
    crossSite: true,
  },
  {
    name: "forwarded host honoured with trustProxy",
    url: "http://10.0.0.5:8000/login",
    headers: {
      origin: "https://atlas9.app",
      "x-forwarded-host": "atlas9.app",
      "x-forwarded-proto": "https",
    },
    trustProxy: true,
    crossSite: false,
  },
  {
    name: "trustProxy uses the client-facing (first) forwarded hop",
    url: "http://10.0.0.5:8000/login",
    headers: { origin: "https://atlas9.app", "x-forwarded-host": "atlas9.app, internal.lb" },
    trustProxy: true,
    crossSite: false,
  },
  {
    name: "trustProxy: scheme mismatch with forwarded proto",
    url: "http://10.0.0.5:8000/login",
    headers: {
      origin: "http://atlas9.app",
      "x-forwarded-host": "atlas9.app",
      "x-forwarded-proto": "https",
    },
    trustProxy: true,
    crossSite: true,
  },
  {
    name: "trustProxy without forwarding headers falls back to the URL host",
    headers: { origin: "https://atlas9.app" },
    trustProxy: true,
    crossSite: false,
  },
  {
    name: "trustProxy: attacker origin still refused",
    headers: { origin: "https://evil.test", "x-forwarded-host": "atlas9.app" },
    trustProxy: true,
    crossSite: true,
  },
];

for (
  const {
    name,
    method = "POST",
    url = "https://atlas9.app/login",
    headers = {},
    trustProxy,
    crossSite,
  } of cases
) {
  Deno.test(`isCrossSiteRequest: ${name}`, () => {
    const request = new Request(url, { method, headers });
    assert.equal(isCrossSiteRequest(request, { trustProxy }), crossSite);
  });
}
