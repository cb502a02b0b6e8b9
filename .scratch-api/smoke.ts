import { startApi, signUp, waitForGeneration, Contract } from "../tests/integration/api_support.ts";
const api = await startApi();
try {
  const doc = await api.call("GET", "/api/v1/openapi.json");
  console.log(doc.status, doc.headers.get("etag"));
  const c = new Contract(doc.json);
  const u = await signUp(api);
  console.log(u);
  const p = await api.call("POST", "/api/v1/projects", { token: u.token, body: { directive: "a marketplace where local farmers sell vegetable boxes" } });
  console.log(p.status, p.text.slice(0, 300));
  c.check("POST", "/api/v1/projects", p);
  const ev = await waitForGeneration(api, u.token, p.json.id);
  console.log(ev.map((e) => `${e.id} ${e.event} ${e.data.stage ?? ""}`).join("\n"));
  const g = await api.call("GET", `/api/v1/projects/${p.json.id}`, { token: u.token });
  console.log(g.status, g.text.length);
  c.check("GET", "/api/v1/projects/{id}", g);
  const o = await api.call("OPTIONS", `/api/v1/projects`, { headers: { Origin: "https://x.com", "Access-Control-Request-Method": "POST" } });
  console.log("OPTIONS", o.status, o.text.slice(0, 200), [...o.headers]);
  const nf = await api.call("GET", `/api/v1/nope`);
  console.log(nf.status, nf.text);
} finally {
  await api.close();
}
