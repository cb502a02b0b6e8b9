import { buildOpenApiDocument } from "../app/api/openapi.server.ts";
const doc = buildOpenApiDocument();
await Deno.writeTextFile(".scratch-api/openapi.json", JSON.stringify(doc, null, 2));
console.log(Object.keys((doc.components as any).schemas));
console.log(JSON.stringify((doc.components as any).schemas.CreateProjectRequest));
console.log(JSON.stringify((doc.components as any).schemas.SignUpRequest));
console.log(JSON.stringify((doc.components as any).schemas.UpdateProjectRequest));
console.log(JSON.stringify((doc.components as any).schemas.Project).slice(0, 1500));
console.log(JSON.stringify((doc.paths as any)["/api/v1/projects"].get.parameters));
