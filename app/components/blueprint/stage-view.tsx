import type { ReactNode } from "react";
import type { BrandSpec, ProductSpec, StageOutputs } from "../../blueprint/schemas.ts";
import type { StageName } from "../../blueprint/stages.ts";
import { ArchitectureView } from "./architecture-view.tsx";
import { BrandView } from "./brand-view.tsx";
import { CodeView } from "./code-view.tsx";
import { DesignView } from "./design-view.tsx";
import { ProductView } from "./product-view.tsx";
import type { StageExtras } from "../../render/types.ts";

/** One stage's output with its server-computed extras (the route's loader builds these). */
export type StageViewProps = {
  [S in StageName]: { stage: S; output: StageOutputs[S]; extras?: StageExtras[S] };
}[StageName];

/**
 * The view of any stage. `blueprint` gives cross-stage context: the brand palette colours
 * design tokens, product features name the features each screen serves.
 */
export function StageView(
  { view, blueprint = {}, meta, fileHref, openPath }: {
    view: StageViewProps;
    blueprint?: { product?: ProductSpec; brand?: BrandSpec };
    meta?: ReactNode;
    /** Where a code file that is not previewed opens (see CodeView). */
    fileHref?: (path: string) => string;
    /** A code file shown open (see CodeView). */
    openPath?: string | null;
  },
) {
  switch (view.stage) {
    case "product":
      return <ProductView product={view.output} meta={meta} />;
    case "brand":
      return <BrandView brand={view.output} meta={meta} />;
    case "design":
      return (
        <DesignView
          design={view.output}
          wireframes={view.extras?.wireframes}
          palette={blueprint.brand?.palette}
          features={blueprint.product?.features}
          meta={meta}
        />
      );
    case "architecture":
      return <ArchitectureView architecture={view.output} erSvg={view.extras?.erSvg} meta={meta} />;
    case "code":
      return (
        <CodeView
          code={view.output}
          highlighted={view.extras?.highlighted}
          meta={meta}
          fileHref={fileHref}
          openPath={openPath}
        />
      );
  }
}
