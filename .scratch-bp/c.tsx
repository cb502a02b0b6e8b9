import { renderToString } from "react-dom/server";
import { CodeView } from "../app/components/blueprint/CodeView.tsx";
import { hostileBlueprint } from "../app/components/blueprint/test_fixtures.ts";
const { code } = hostileBlueprint();
console.log(renderToString(<CodeView code={code} highlighted={[{ path: "src/app.ts", language: "ts", html: "</code><img>" }]} />).slice(-700));
