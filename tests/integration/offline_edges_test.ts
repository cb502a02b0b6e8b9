/**
 * Issue 11's honest edges through the real handler: a directive in another language, or one
 * with no recognisable product, is refused before a project exists — a 422 problem in the
 * API, the form re-shown with the message (and the directive kept) in the browser, with and
 * without JavaScript. With an LLM provider configured, another language is accepted.
 */
import assert from "node:assert/strict";
import { signUp, startApi } from "../support/api.ts";
import { signedIn } from "../support/web.ts";
import { CREATE_ERROR_MESSAGES } from "../../app/blueprint/refusals.ts";

const SPANISH = "Una app para que los clubes de ciclismo organicen salidas de grupo";
const CHINESE = "一个让社区合唱团安排排练和音乐会的共享日历";
const GIBBERISH = "asdf qwerty zxcv";

const escapeHtml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

Deno.test("the API refuses another language and gibberish with a 422 problem, creating nothing", async () => {
  const api = await startApi();
  try {
    const { token } = await signUp(api);
    for (
      const [directive, message] of [
        [SPANISH, CREATE_ERROR_MESSAGES.directive_language],
        [CHINESE, CREATE_ERROR_MESSAGES.directive_language],
        [GIBBERISH, CREATE_ERROR_MESSAGES.directive_unrecognised],
        ["lorem ipsum dolor sit amet", CREATE_ERROR_MESSAGES.directive_unrecognised],
      ]
    ) {
      const res = await api.call("POST", "/api/v1/projects", { token, body: { directive } });
      assert.equal(res.status, 422, `${directive}: ${res.text}`);
      assert.match(res.headers.get("content-type") ?? "", /^application\/problem\+json/);
      assert.equal(res.json.detail, message, directive);
      assert.deepEqual(res.json.errors?.directive ?? res.json.fields?.directive, [message]);
    }
    const list = await api.call("GET", "/api/v1/projects", { token });
    assert.equal(list.status, 200);
    assert.equal(list.json.items.length, 0, "no project was created");
    const ok = await api.call("POST", "/api/v1/projects", {
      token,
      body: {
        directive: "A shared calendar for a community choir to plan rehearsals and concerts",
      },
    });
    assert.equal(ok.status, 201, ok.text);
  } finally {
    await api.close();
  }
});

Deno.test("with an LLM provider configured, a directive in another language is accepted", async () => {
  const api = await startApi({
    env: { LLM_PROVIDERS: "openai,offline", OPENAI_API_KEY: "sk-test-not-used" },
  });
  try {
    const { token } = await signUp(api);
    const res = await api.call("POST", "/api/v1/projects", { token, body: { directive: SPANISH } });
    assert.equal(res.status, 201, res.text);
    const junk = await api.call("POST", "/api/v1/projects", {
      token,
      body: { directive: GIBBERISH },
    });
    assert.equal(junk.status, 422, "no product is refused whatever the providers");
  } finally {
    await api.close();
  }
});

Deno.test("the form is shown again with the message and the directive, with and without JavaScript", async () => {
  const api = await startApi();
  try {
    const browser = await signedIn(api.app, "edges-form@example.com");
    // Without JavaScript: the POST answers the page itself, as a 422.
    const page = await browser.post("/projects", { directive: SPANISH });
    assert.equal(page.status, 422);
    const html = await page.text();
    assert.ok(html.includes(escapeHtml(CREATE_ERROR_MESSAGES.directive_language)), "message shown");
    assert.match(html, /<textarea[^>]*aria-invalid/);
    assert.ok(html.includes(escapeHtml(SPANISH)), "the directive is kept in the form");

    // With JavaScript: Remix asks for the action's data; the same message comes back.
    const data = await browser.post("/projects?_data=routes%2Fprojects._index", {
      directive: GIBBERISH,
    });
    assert.equal(data.status, 422);
    const body = await data.json();
    assert.equal(body.error, CREATE_ERROR_MESSAGES.directive_unrecognised);
    assert.equal(body.directive, GIBBERISH);

    const projects = await api.app.services.repos.projects.listPublic({ limit: 10 });
    assert.equal(projects.items.length, 0);
  } finally {
    await api.close();
  }
});
