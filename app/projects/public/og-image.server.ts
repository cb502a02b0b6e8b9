/**
 * The Open Graph image of a public page: a 1200×630 share card laid out by satori (text as
 * paths, fonts from the self-hosted @fontsource WOFF files) and rasterised to PNG by resvg
 * (WebAssembly). No network, no native code. Cached in KV beside the page's render data.
 */
// satori and resvg load on the first card, not at start (issue 14 item 6: cold start).
type Satori = typeof import("satori").default;
type ResvgModule = typeof import("@resvg/resvg-wasm");
let renderers: Promise<{ satori: Satori; resvg: ResvgModule }> | undefined;
const loadRenderers = () =>
  renderers ??= Promise.all([import("satori"), import("@resvg/resvg-wasm")]).then((
    [satori, resvg],
  ) => ({ satori: satori.default, resvg }));
import type { Services } from "../../server/services.server.ts";
import { getChunked, setChunked } from "../../kv/chunked.server.ts";
import { ogImageKey } from "../../kv/keys.ts";
import { z } from "zod";
import { loadPublicPage, shareCard } from "./render.server.ts";
import type { ShareCard } from "./render.server.ts";

/** Share-card size recommended by Open Graph consumers (1.91:1). */
export const OG_WIDTH = 1200;
export const OG_HEIGHT = 630;

const CACHE_TTL_MS = 24 * 60 * 60 * 1000;

interface Assets {
  fonts: { name: string; data: ArrayBuffer; weight: 400 | 600 | 700; style: "normal" }[];
}

let assets: Promise<Assets> | undefined;

/** Reads a file that ships in an npm package (resolved like an import, so it works bundled). */
async function packageFile(specifier: string): Promise<ArrayBuffer> {
  const bytes = await Deno.readFile(new URL(import.meta.resolve(specifier)));
  return bytes.buffer;
}

/** Loads the resvg WebAssembly module and the card fonts once per process. */
function loadAssets(): Promise<Assets> {
  assets ??= (async () => {
    const [wasm, inter400, inter700, serif] = await Promise.all([
      packageFile("@resvg/resvg-wasm/index_bg.wasm"),
      packageFile("@fontsource/inter/files/inter-latin-400-normal.woff"),
      packageFile("@fontsource/inter/files/inter-latin-700-normal.woff"),
      packageFile("@fontsource/newsreader/files/newsreader-latin-600-normal.woff"),
    ]);
    await (await loadRenderers()).resvg.initWasm(wasm);
    return {
      fonts: [
        { name: "Inter", data: inter400, weight: 400, style: "normal" },
        { name: "Inter", data: inter700, weight: 700, style: "normal" },
        { name: "Newsreader", data: serif, weight: 600, style: "normal" },
      ],
    };
  })();
  assets.catch(() => (assets = undefined));
  return assets;
}

type Node = { type: string; props: Record<string, unknown> };
const h = (type: string, style: Record<string, unknown>, children?: unknown): Node => ({
  type,
  props: { style, children },
});

/** The card as satori's element tree: kicker, product name, tagline, palette and address. */
function card(share: ShareCard, path: string): Node {
  const swatches = [share.primary, share.accent, share.ink].map((colour) =>
    h("div", { width: 56, height: 56, borderRadius: 12, background: colour, marginRight: 14 })
  );
  // Satori sizes boxes without their padding, so the margins are taken off the inner box.
  const bar = 28;
  const [padX, padY] = [72, 64];
  return h(
    "div",
    { width: OG_WIDTH, height: OG_HEIGHT, display: "flex", background: share.paper },
    [
      h("div", { width: bar, height: OG_HEIGHT, background: share.primary }),
      h("div", {
        width: OG_WIDTH - bar - 2 * padX,
        height: OG_HEIGHT - 2 * padY,
        margin: `${padY}px ${padX}px`,
        display: "flex",
        flexDirection: "column",
        justifyContent: "space-between",
        color: share.ink,
        fontFamily: "Inter",
      }, [
        h("div", {
          display: "flex",
          fontSize: 28,
          fontWeight: 700,
          letterSpacing: 4,
          color: share.primary,
        }, "ATLAS9 BLUEPRINT"),
        h("div", { display: "flex", flexDirection: "column" }, [
          h("div", {
            display: "flex",
            fontFamily: "Newsreader",
            fontWeight: 600,
            fontSize: share.name.length > 28 ? 72 : 96,
            lineHeight: 1.05,
          }, share.name),
          h(
            "div",
            { display: "flex", fontSize: 36, lineHeight: 1.35, marginTop: 24 },
            share.tagline,
          ),
        ]),
        h("div", { display: "flex", alignItems: "center", justifyContent: "space-between" }, [
          h("div", { display: "flex" }, swatches),
          h("div", { display: "flex", fontSize: 26 }, path),
        ]),
      ]),
    ],
  );
}

/** Renders a share card to PNG bytes. */
export async function renderOgImage(
  share: ShareCard,
  options: { path: string },
): Promise<Uint8Array<ArrayBuffer>> {
  const { fonts } = await loadAssets();
  const { satori, resvg: { Resvg } } = await loadRenderers();
  const svg = await satori(card(share, options.path) as never, {
    width: OG_WIDTH,
    height: OG_HEIGHT,
    fonts,
  });
  const resvg = new Resvg(svg, { fitTo: { mode: "width", value: OG_WIDTH } });
  try {
    return resvg.render().asPng().slice();
  } finally {
    resvg.free();
  }
}

const cachedSchema = z.object({ stamp: z.string(), png: z.string() });

/**
 * The OG image of a public project with the stamp of the render data it shows, from KV when
 * current; null when no public project has this slug.
 */
export async function loadOgImage(
  input: { services: Pick<Services, "repos" | "kv">; slug: string },
): Promise<{ png: Uint8Array<ArrayBuffer>; stamp: string } | null> {
  const { services, slug } = input;
  const page = await loadPublicPage({ services, slug });
  if (!page) return null;
  const key = ogImageKey(slug);
  const cached = await getChunked(services.kv, key, cachedSchema);
  if (cached && cached.stamp === page.stamp) {
    return { png: Uint8Array.fromBase64(cached.png), stamp: page.stamp };
  }
  const png = await renderOgImage(shareCard(page), { path: `atlas9 · /p/${slug}` });
  await setChunked(services.kv, key, { stamp: page.stamp, png: png.toBase64() }, {
    expireIn: CACHE_TTL_MS,
  });
  return { png, stamp: page.stamp };
}
