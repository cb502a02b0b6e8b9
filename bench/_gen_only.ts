import { generationRows } from "./generation.ts";
import { formatTable } from "./table.ts";
console.log(formatTable(await generationRows()));
