import type { ReactNode } from "react";
import type { BrandSpec, Palette } from "../../blueprint/schemas.ts";
import {
  AA_RATIO,
  flooredContrast,
  inkOn,
  NEUTRAL_STEPS,
  PALETTE_ROLES,
  safeHex,
  safeRoleHex,
} from "../../blueprint/colour.ts";
import { fontStack } from "../../render/format.ts";
import { Block, ScrollRegion, StageFrame, TextList } from "./parts.tsx";

type Logo = BrandSpec["logoConcept"];

/** The logo concept drawn as a simple mark: its shape in its first colour, with the initial. */
export function LogoMark(
  { logo, name, palette, fontFamily, size = 72 }: {
    logo: Logo;
    name: string;
    palette: Palette;
    fontFamily: string;
    size?: number;
  },
) {
  const fill = safeRoleHex(palette, logo.colourRoles[0] ?? "primary");
  const initial = Array.from(name.trim())[0]?.toUpperCase() ?? "";
  if (logo.shape === "wordmark") {
    return (
      <span className="bp-wordmark" style={{ color: fill, fontFamily }} aria-hidden="true">
        {name}
      </span>
    );
  }
  const shapes = {
    circle: <circle cx="50" cy="50" r="46" />,
    "rounded-square": <rect x="4" y="4" width="92" height="92" rx="24" />,
    square: <rect x="6" y="6" width="88" height="88" />,
    hexagon: <path d="M50 3 91 26v48L50 97 9 74V26z" />,
    diamond: <path d="M50 2 98 50 50 98 2 50z" />,
    shield: <path d="M50 3 90 16v32c0 26-18 42-40 49C28 90 10 74 10 48V16z" />,
  };
  return (
    <svg viewBox="0 0 100 100" width={size} height={size} aria-hidden="true" className="bp-mark">
      <g fill={fill}>{shapes[logo.shape]}</g>
      <text
        x="50"
        y="51"
        textAnchor="middle"
        dominantBaseline="central"
        fontSize="48"
        fontWeight="700"
        fill={inkOn(fill)}
        style={{ fontFamily }}
      >
        {initial}
      </text>
    </svg>
  );
}

/** The colour if it reads at AA on the background (as shown, rounded down), else black or white. */
function readable(colour: string, background: string): string {
  return flooredContrast(colour, background) >= AA_RATIO ? colour : inkOn(background);
}

function Swatch({ role, hex }: { role: string; hex: string }) {
  const colour = safeHex(hex);
  return (
    <li className="bp-swatch" style={{ background: colour, color: inkOn(colour) }}>
      <strong>{role}</strong>
      <code>{colour}</code>
    </li>
  );
}

/** The brand stage: name, voice, palette with measured contrast, type specimen and logo. */
export function BrandView({ brand, meta }: { brand: BrandSpec; meta?: ReactNode }) {
  const { palette, typography } = brand;
  const primary = safeHex(palette.primary);
  const [surface, soft, ink] = [
    safeRoleHex(palette, "neutral-50"),
    safeRoleHex(palette, "neutral-600"),
    safeRoleHex(palette, "neutral-900"),
  ];
  const heading = fontStack(typography.heading.family, typography.heading.fallback);
  const body = fontStack(typography.body.family, typography.body.fallback);
  const mono = fontStack(typography.mono.family, typography.mono.fallback);
  const boldest = Math.max(...typography.heading.weights.filter(Number.isFinite), 400);
  return (
    <StageFrame stage="brand" title={brand.chosenName} meta={meta}>
      <div className="bp-brand-hero" style={{ background: surface, borderColor: primary }}>
        <LogoMark
          logo={brand.logoConcept}
          name={brand.chosenName}
          palette={palette}
          fontFamily={heading}
          size={64}
        />
        <div>
          <p
            className="bp-brand-name"
            style={{ fontFamily: heading, fontWeight: boldest, color: readable(ink, surface) }}
          >
            {brand.chosenName}
          </p>
          <p style={{ fontFamily: body, color: readable(soft, surface) }}>{brand.tagline}</p>
        </div>
      </div>
      <p className="lede">{brand.mission}</p>

      <Block title="Name candidates">
        <ul className="bp-plain bp-names">
          {brand.nameCandidates.map((candidate, index) => (
            <li key={index} className={candidate.name === brand.chosenName ? "bp-chosen" : ""}>
              <strong>{candidate.name}</strong> <span className="chip">{candidate.strategy}</span>
              {candidate.name === brand.chosenName
                ? <span className="badge ok">chosen</span>
                : null}
              <p>{candidate.rationale}</p>
            </li>
          ))}
        </ul>
      </Block>

      <Block title="Voice">
        <ul className="chips" aria-label="Voice traits">
          {brand.voice.traits.map((trait, index) => <li key={index} className="chip">{trait}</li>)}
        </ul>
        <div className="bp-cols">
          <div>
            <h4>Do</h4>
            <TextList items={brand.voice.do} className="bp-checks" />
          </div>
          <div>
            <h4>Don’t</h4>
            <TextList items={brand.voice.dont} className="bp-nots" />
          </div>
        </div>
      </Block>

      <Block title="Palette">
        <ul className="bp-plain bp-swatches">
          {PALETTE_ROLES.map((role) => <Swatch key={role} role={role} hex={palette[role]} />)}
        </ul>
        <ul className="bp-plain bp-neutrals" aria-label="Neutral scale">
          {NEUTRAL_STEPS.map((step, index) => (
            <Swatch key={step} role={String(step)} hex={palette.neutral[index]} />
          ))}
        </ul>
      </Block>

      <Block title="Text contrast" when={brand.contrast.length > 0}>
        <ScrollRegion className="bp-table" label="Text contrast">
          <table>
            <thead>
              <tr>
                <th scope="col">Sample</th>
                <th scope="col">Text on background</th>
                <th scope="col">Ratio</th>
                <th scope="col">WCAG AA</th>
              </tr>
            </thead>
            <tbody>
              {brand.contrast.map((pair, index) => {
                const fg = safeHex(pair.foregroundHex);
                const bg = safeHex(pair.backgroundHex);
                // Measured here from the hex values, so the table cannot overstate a model claim.
                const ratio = flooredContrast(fg, bg);
                return (
                  <tr key={index}>
                    <td>
                      <span className="bp-sample" style={{ color: fg, background: bg }}>Aa</span>
                    </td>
                    <td>
                      {pair.foreground} on {pair.background}
                    </td>
                    <td>{ratio.toFixed(2)}:1</td>
                    <td>
                      {ratio >= AA_RATIO
                        ? <span className="badge ok">Pass</span>
                        : <span className="badge err">Fail</span>}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </ScrollRegion>
      </Block>

      <Block title="Typography">
        <div className="bp-type card">
          <p className="bp-type-role">
            Heading · {typography.heading.family} · {typography.heading.weights.join(", ")}
          </p>
          <p className="bp-type-heading" style={{ fontFamily: heading, fontWeight: boldest }}>
            {brand.tagline}
          </p>
          <p className="bp-type-role">
            Body · {typography.body.family} · {typography.body.weights.join(", ")}
          </p>
          <p style={{ fontFamily: body }}>{brand.mission}</p>
          <p className="bp-type-role">Mono · {typography.mono.family}</p>
          <p style={{ fontFamily: mono }}>0123456789 {"{ } [ ] => !== &&"}</p>
        </div>
        <ul className="bp-plain bp-scale">
          {typography.scale.map((step, index) => {
            const size = Number.isFinite(step.sizePx) ? Math.min(Math.max(step.sizePx, 8), 64) : 16;
            return (
              <li key={index}>
                <span className="bp-scale-token">
                  {step.token} · {step.sizePx}px / {step.lineHeight}
                </span>
                <span style={{ fontFamily: heading, fontSize: size, lineHeight: 1.15 }}>
                  {brand.chosenName}
                </span>
              </li>
            );
          })}
        </ul>
      </Block>

      <Block title="Logo concept">
        <div className="bp-logo">
          <LogoMark
            logo={brand.logoConcept}
            name={brand.chosenName}
            palette={palette}
            fontFamily={heading}
            size={96}
          />
          <div>
            <p>{brand.logoConcept.description}</p>
            <p>
              <span className="muted">Symbol:</span> {brand.logoConcept.symbol}
            </p>
            <p>
              <span className="muted">Shape:</span> {brand.logoConcept.shape} ·{" "}
              <span className="muted">Colours:</span> {brand.logoConcept.colourRoles.join(", ")}
            </p>
          </div>
        </div>
      </Block>
    </StageFrame>
  );
}
